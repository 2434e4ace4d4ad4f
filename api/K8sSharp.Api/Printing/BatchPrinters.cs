using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>Jobs and CronJobs (upstream printJob, printCronJob).</summary>
internal static class BatchPrinters
{
    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("batch", "Job",
        [
            Col.Name, Col.Str("Status", "Status of the job."), Col.Str("Completions", ColumnDocs.JobSucceeded),
            Col.Str("Duration", "Time required to complete the job."), Col.Age, Col.Containers, Col.Images,
            Col.Str("Selector", ColumnDocs.JobSelector, 1),
        ], Job);
        yield return new KindPrinter("batch", "CronJob",
        [
            Col.Name, Col.Str("Schedule", ColumnDocs.CronSchedule), Col.Str("Timezone", ColumnDocs.CronTimeZone),
            Col.Bool("Suspend", ColumnDocs.CronSuspend), Col.Int("Active", ColumnDocs.CronActive),
            Col.Str("Last Schedule", ColumnDocs.CronLastSchedule), Col.Age, Col.Containers, Col.Images,
            Col.Str("Selector", ColumnDocs.JobSelector, 1),
        ], CronJob);
    }

    private static JsonArray Job(JsonObject job, DateTimeOffset now)
    {
        var (names, images) = PrintFormat.Containers(job.At("spec", "template", "spec"));
        return new JsonArray(
            PrintFormat.Name(job),
            JobStatus(job),
            Completions(job),
            Duration(job, now),
            PrintFormat.CreationAge(job, now),
            names,
            images,
            PrintFormat.Selector(job.At("spec", "selector")));
    }

    // "succeeded/completions"; without completions a job needs one success, "of N" shows parallelism.
    private static string Completions(JsonObject job)
    {
        var succeeded = job.L("status", "succeeded");
        if (job.Long("spec", "completions") is { } completions)
        {
            return PrintFormat.Ratio(succeeded, completions);
        }
        var parallelism = job.L("spec", "parallelism");
        return parallelism > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1 of {parallelism}")
            : string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1");
    }

    // Running time so far, or start-to-completion once complete; empty before the job started.
    private static string Duration(JsonObject job, DateTimeOffset now)
    {
        if (job.Time("status", "startTime") is not { } start)
        {
            return "";
        }
        var end = job.Time("status", "completionTime") ?? now;
        return HumanDuration.Format(end - start);
    }

    // Terminal conditions win over Terminating, which wins over Suspended and FailureTarget.
    private static string JobStatus(JsonObject job)
    {
        var conditions = job.Objects("status", "conditions").ToList();
        if (ConditionTrue(conditions, "Complete"))
        {
            return "Complete";
        }
        if (ConditionTrue(conditions, "Failed"))
        {
            return "Failed";
        }
        if (job.At("metadata", "deletionTimestamp") is not null)
        {
            return "Terminating";
        }
        if (ConditionTrue(conditions, "Suspended"))
        {
            return "Suspended";
        }
        return ConditionTrue(conditions, "FailureTarget") ? "FailureTarget" : "Running";
    }

    // The first condition of the type decides (upstream hasJobCondition).
    private static bool ConditionTrue(List<JsonObject> conditions, string type) =>
        conditions.FirstOrDefault(c => c.S("type") == type) is { } c && c.S("status") == "True";

    private static JsonArray CronJob(JsonObject cj, DateTimeOffset now)
    {
        var jobSpec = cj.At("spec", "jobTemplate", "spec");
        var (names, images) = PrintFormat.Containers(jobSpec.At("template", "spec"));
        var lastSchedule = cj.At("status", "lastScheduleTime") is null
            ? "<none>"
            : PrintFormat.Age(cj, now, "status", "lastScheduleTime");
        return new JsonArray(
            PrintFormat.Name(cj),
            cj.S("spec", "schedule"),
            cj.Str("spec", "timeZone") ?? "<none>",
            PrintFormat.BoolPtr(cj.Bool("spec", "suspend")),
            (long)cj.Arr("status", "active").Count,
            lastSchedule,
            PrintFormat.CreationAge(cj, now),
            names,
            images,
            PrintFormat.Selector(jobSpec.At("selector")));
    }
}
