using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Validation;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// CronJobs: batch defaults and <c>ValidateCronJob</c>: a five-field (or <c>@</c>-macro) schedule, the concurrency
/// policy enum, non-negative history limits and a job template valid as a job spec (without the selector, which
/// the job gets when it is created).
/// </summary>
internal sealed class CronJobStrategy(ApiResource resource) : GenericStrategy(resource)
{
    private static readonly string[] Macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        WorkloadDefaults.CronJob(obj);
        obj["status"] = new JsonObject();
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        WorkloadDefaults.CronJob(updated);
    }

    public override IEnumerable<StatusCause> Validate(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var causes = base.Validate(obj)
            .Concat(Schedule(spec))
            .Concat(Enum(spec, "concurrencyPolicy", "spec", "Allow", "Forbid", "Replace"))
            .Concat(WorkloadValidation.NonNegative(spec, "spec", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "startingDeadlineSeconds"));
        var jobSpec = spec["jobTemplate"]?["spec"] as JsonObject ?? [];
        return causes.Concat(JobStrategy.ValidateSpec(jobSpec, "spec.jobTemplate.spec", checkSelector: false));
    }

    /// <summary>The shape check of robfig/cron's <c>ParseStandard</c>: a macro or exactly five fields.</summary>
    private static IEnumerable<StatusCause> Schedule(JsonObject spec)
    {
        var schedule = spec.GetString("schedule") ?? "";
        if (schedule.Length == 0)
        {
            yield return Required("spec.schedule");
            yield break;
        }
        var text = schedule.StartsWith("TZ=", StringComparison.Ordinal) || schedule.StartsWith("CRON_TZ=", StringComparison.Ordinal)
            ? schedule[(schedule.IndexOf(' ', StringComparison.Ordinal) + 1)..]
            : schedule;
        if (text.StartsWith('@'))
        {
            if (!Macros.Contains(text) && !text.StartsWith("@every ", StringComparison.Ordinal))
            {
                yield return Invalid("spec.schedule", spec["schedule"], $"unrecognized descriptor: {text}");
            }
            yield break;
        }
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            yield return Invalid("spec.schedule", spec["schedule"], $"expected exactly 5 fields, found {fields.Length}: [{string.Join(' ', fields)}]");
        }
    }
}
