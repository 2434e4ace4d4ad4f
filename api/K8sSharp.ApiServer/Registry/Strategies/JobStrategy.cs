using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Validation;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Jobs (upstream's <c>pkg/registry/batch/job/strategy.go</c>): batch defaults, the generated
/// <c>batch.kubernetes.io/controller-uid</c> selector (the store has set <c>metadata.uid</c> before this runs), and
/// <c>ValidateJob</c>/<c>ValidateJobUpdate</c>: restart policy OnFailure or Never, selector and template immutable.
/// </summary>
internal sealed class JobStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public static readonly string[] RestartPolicies = ["OnFailure", "Never"];

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        WorkloadDefaults.Job(obj);
        JobSelector.Generate(obj, obj.Uid() ?? "", obj.Name() ?? "");
        // Upstream defaults again when the stored object is read back, so a job without labels of its own
        // ends up with the generated template labels too.
        JobSelector.CopyTemplateLabels(obj);
        obj["status"] = new JsonObject();
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        WorkloadDefaults.Job(updated);
    }

    public override IEnumerable<StatusCause> Validate(JsonObject obj) => base.Validate(obj).Concat(ValidateSpec(obj["spec"] as JsonObject ?? []));

    public override IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var causes = Validate(updated).Concat(WorkloadValidation.ImmutableSelector(updated, old));
        var spec = updated["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        foreach (var field in new[] { "completionMode", "podFailurePolicy", "backoffLimitPerIndex" })
        {
            if (!JsonNode.DeepEquals(spec[field], oldSpec[field]))
            {
                causes = causes.Append(Immutable($"spec.{field}", spec[field]));
            }
        }
        if (!JsonNode.DeepEquals(spec["template"], oldSpec["template"]))
        {
            // Upstream prints the whole core.PodTemplateSpec Go value here; it is abbreviated.
            causes = causes.Append(Invalid("spec.template", "core.PodTemplateSpec{...}", "field is immutable", raw: true));
        }
        return causes;
    }

    /// <summary><c>ValidateJobSpec</c> at <paramref name="path"/>; CronJobs reuse it for their job template.</summary>
    public static IEnumerable<StatusCause> ValidateSpec(JsonObject spec, string path = "spec", bool checkSelector = true)
    {
        var causes = WorkloadValidation.NonNegative(spec, path, "parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished");
        if (spec["activeDeadlineSeconds"] is JsonValue deadline && deadline.Integer() is null or <= 0)
        {
            causes = causes.Append(Invalid($"{path}.activeDeadlineSeconds", deadline, "must be greater than 0"));
        }
        if (checkSelector)
        {
            causes = causes.Concat(WorkloadValidation.SelectorMatchesTemplate(spec, path, kindForEmpty: null));
        }
        if (spec.GetString("completionMode") is { } mode && mode is not "NonIndexed" and not "Indexed")
        {
            causes = causes.Append(NotSupported($"{path}.completionMode", spec["completionMode"], "NonIndexed", "Indexed"));
        }
        causes = causes.Concat(PodSpecValidation.ValidateTemplate(spec["template"] as JsonObject, $"{path}.template"));
        var policy = spec["template"]?["spec"]?["restartPolicy"];
        if (!RestartPolicies.Contains(policy?.ToString()))
        {
            causes = causes.Append(NotSupported($"{path}.template.spec.restartPolicy", policy, RestartPolicies));
        }
        return causes;
    }
}
