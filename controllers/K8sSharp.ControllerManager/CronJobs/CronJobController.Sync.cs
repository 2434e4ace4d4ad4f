using System.Globalization;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.Jobs;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.CronJobs;

/// <summary>The sync of one CronJob (upstream ControllerV2.sync, syncCronJob, cleanupFinishedJobs).</summary>
internal sealed partial class CronJobController
{
    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (cronJobs.Get(ns, name) is not { } shared)
        {
            return;
        }
        var cronJob = KubernetesJson.Deserialize<V1CronJob>(KubernetesJson.Serialize(shared));
        cronJob.Status ??= new V1CronJobStatus();
        cronJob.Status.Active ??= [];
        var owned = jobs.List(ns).Where(j => Pods.ControllerOf(j.Metadata)?.Uid == cronJob.Metadata.Uid).ToList();
        var cleaned = await CleanupFinishedJobsAsync(cronJob, owned, cancellationToken);
        var (requeueAfter, changed, error) = await SyncCronJobAsync(cronJob, owned, cancellationToken);
        if (cleaned || changed)
        {
            await writes.UpdateStatusAsync(cronJob, cancellationToken);
        }
        if (requeueAfter is { } delay)
        {
            Queue.AddAfter(key, delay);
            return;
        }
        if (error is not null)
        {
            throw error;
        }
    }

    /// <summary>
    /// Brings status.active and lastSuccessfulTime up to date, then starts the most recent missed Job if the
    /// schedule, the starting deadline and the concurrency policy allow. Returns when to sync again, whether status
    /// changed, and an error to retry with backoff.
    /// </summary>
    private async Task<(TimeSpan? RequeueAfter, bool Changed, Exception? Error)> SyncCronJobAsync(
        V1CronJob cronJob, List<V1Job> owned, CancellationToken cancellationToken)
    {
        var changed = await ReconcileActiveAsync(cronJob, owned, cancellationToken);
        if (cronJob.Metadata.DeletionTimestamp is not null || ParseSchedule(cronJob) is not { } schedule || cronJob.Spec.Suspend == true)
        {
            return (null, changed, null);
        }
        var now = Time.GetUtcNow();
        DateTimeOffset? scheduled;
        try
        {
            scheduled = NextScheduleTime(cronJob, now, schedule);
        }
        catch (FormatException e)
        {
            events.Event(cronJob, EventTypes.Warning, "InvalidSchedule", $"invalid schedule: {cronJob.Spec.Schedule} : {e.Message}");
            return (null, changed, null);
        }
        var requeue = ScheduleTimes.UntilNext(cronJob, now, schedule);
        if (scheduled is not { } start)
        {
            return (requeue, changed, null);
        }
        if (cronJob.Spec.StartingDeadlineSeconds is { } deadline && start.AddSeconds(deadline) < now)
        {
            events.Event(cronJob, EventTypes.Warning, "MissSchedule",
                "Missed scheduled time to start a job: " + start.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture));
            return (requeue, changed, null);
        }
        var jobName = CronJobJobs.Name(cronJob, start);
        if (cronJob.Status.Active.Any(r => r.Name == jobName) || (cronJob.Status.LastScheduleTime is { } last && ScheduleTimes.Utc(last) == start))
        {
            return (requeue, changed, null); // already started
        }
        if (cronJob.Spec.ConcurrencyPolicy == "Forbid" && cronJob.Status.Active.Count > 0)
        {
            events.Event(cronJob, EventTypes.Normal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return (requeue, changed, null);
        }
        if (cronJob.Spec.ConcurrencyPolicy == "Replace")
        {
            changed |= await ReplaceActiveJobsAsync(cronJob, cancellationToken);
        }
        try
        {
            var job = await CreateJobAsync(cronJob, start, cancellationToken);
            if (job is null)
            {
                return (null, changed, null);
            }
            cronJob.Status.Active.Add(CronJobJobs.Reference(job));
            cronJob.Status.LastScheduleTime = start.UtcDateTime;
            return (ScheduleTimes.UntilNext(cronJob, now, schedule), true, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, changed, e);
        }
    }

    /// <summary>
    /// Finished Jobs leave status.active (SawCompletedJob), Jobs the API server no longer has leave it too
    /// (MissingJob), and the latest completion becomes lastSuccessfulTime. Returns whether status changed.
    /// </summary>
    private async Task<bool> ReconcileActiveAsync(V1CronJob cronJob, List<V1Job> owned, CancellationToken cancellationToken)
    {
        var changed = false;
        var active = cronJob.Status.Active;
        foreach (var job in owned)
        {
            var listed = active.Any(r => r.Uid == job.Metadata.Uid);
            var finished = JobConditions.IsFinished(job);
            if (!listed && !finished)
            {
                events.Event(cronJob, EventTypes.Warning, "UnexpectedJob", $"Saw a job that the controller did not create or forgot: {job.Metadata.Name}");
            }
            else if (listed && finished)
            {
                var condition = JobConditions.IsTrue(job, JobConditions.Complete) ? JobConditions.Complete : JobConditions.Failed;
                RemoveFromActive(cronJob, job.Metadata.Uid);
                events.Event(cronJob, EventTypes.Normal, "SawCompletedJob", $"Saw completed job: {job.Metadata.Name}, condition: {condition}");
                changed = true;
            }
            if (JobConditions.IsTrue(job, JobConditions.Complete) && job.Status?.CompletionTime is { } completed
                && (cronJob.Status.LastSuccessfulTime is not { } last || completed > last))
            {
                cronJob.Status.LastSuccessfulTime = completed;
                changed = true;
            }
        }
        foreach (var reference in active.Where(r => !owned.Any(j => j.Metadata.Uid == r.Uid)).ToList())
        {
            // The cache may just be behind: ask the API server before forgetting the Job.
            if (await writes.GetJobAsync(reference.NamespaceProperty ?? cronJob.Metadata.NamespaceProperty, reference.Name, cancellationToken) is null)
            {
                events.Event(cronJob, EventTypes.Normal, "MissingJob", $"Active job went missing: {reference.Name}");
                RemoveFromActive(cronJob, reference.Uid);
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>The schedule in the CronJob's time zone, or null after a warning event when either is invalid.</summary>
    private CronSchedule? ParseSchedule(V1CronJob cronJob)
    {
        var zone = TimeZones.Find(cronJob.Spec.TimeZone);
        if (zone is null)
        {
            events.Event(cronJob, EventTypes.Warning, "UnknownTimeZone", $"invalid timeZone: \"{cronJob.Spec.TimeZone}\": unknown time zone {cronJob.Spec.TimeZone}");
            return null;
        }
        if (cronJob.Spec.TimeZone is not null && cronJob.Spec.Schedule.Contains("TZ", StringComparison.Ordinal))
        {
            events.Event(cronJob, EventTypes.Warning, "UnsupportedSchedule",
                $"CRON_TZ or TZ used in schedule \"{cronJob.Spec.Schedule}\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
        }
        try
        {
            return CronSchedule.Parse(cronJob.Spec.Schedule, zone);
        }
        catch (FormatException e)
        {
            events.Event(cronJob, EventTypes.Warning, "UnparseableSchedule", $"unparseable schedule: \"{cronJob.Spec.Schedule}\" : {e.Message}");
            return null;
        }
    }

    /// <summary>The most recent start not yet taken, warning when more than 100 were missed (upstream nextScheduleTime).</summary>
    private DateTimeOffset? NextScheduleTime(V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule)
    {
        var (_, mostRecent, missed) = ScheduleTimes.MostRecent(cronJob, now, schedule, includeStartingDeadline: true);
        if (mostRecent is null || mostRecent > now)
        {
            return null;
        }
        if (missed == MissedSchedules.Many)
        {
            events.Event(cronJob, EventTypes.Warning, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        return mostRecent;
    }

    /// <summary>concurrencyPolicy Replace: every active Job is deleted before the new one starts.</summary>
    private async Task<bool> ReplaceActiveJobsAsync(V1CronJob cronJob, CancellationToken cancellationToken)
    {
        var changed = false;
        foreach (var reference in cronJob.Status.Active.ToList())
        {
            var job = await writes.GetJobAsync(reference.NamespaceProperty ?? cronJob.Metadata.NamespaceProperty, reference.Name, cancellationToken);
            if (job is null)
            {
                RemoveFromActive(cronJob, reference.Uid);
                changed = true;
                continue;
            }
            if (!await DeleteJobAsync(cronJob, job, cancellationToken))
            {
                throw new InvalidOperationException($"could not replace job {job.Metadata.NamespaceProperty}/{job.Metadata.Name}");
            }
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// Creates the Job for <paramref name="scheduled"/>. Returns null when the namespace is being deleted. A Job of
    /// that name that we already own (created before a status write was lost) counts as created.
    /// </summary>
    private async Task<V1Job?> CreateJobAsync(V1CronJob cronJob, DateTimeOffset scheduled, CancellationToken cancellationToken)
    {
        var request = CronJobJobs.FromTemplate(cronJob, scheduled);
        try
        {
            var job = await writes.CreateJobAsync(request, cancellationToken);
            LogCreated(Logger, ObjectKeys.For(cronJob), job.Metadata.Name, scheduled);
            events.Event(cronJob, EventTypes.Normal, "SuccessfulCreate", $"Created job {job.Metadata.Name}");
            return job;
        }
        catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
        {
            return null;
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            var existing = await writes.GetJobAsync(request.Metadata.NamespaceProperty, request.Metadata.Name, cancellationToken);
            if (existing is not null && Pods.ControllerOf(existing.Metadata)?.Uid == cronJob.Metadata.Uid)
            {
                return existing;
            }
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            events.Event(cronJob, EventTypes.Warning, "FailedCreate", $"Error creating job: {e.Message}");
            throw;
        }
    }

    /// <summary>
    /// The history limits: the oldest finished Jobs (by start time, then name) beyond successfulJobsHistoryLimit
    /// and failedJobsHistoryLimit are deleted. Returns whether status changed.
    /// </summary>
    private async Task<bool> CleanupFinishedJobsAsync(V1CronJob cronJob, List<V1Job> owned, CancellationToken cancellationToken)
    {
        var changed = false;
        if (cronJob.Spec.SuccessfulJobsHistoryLimit is { } successLimit)
        {
            changed |= await RemoveOldestAsync(cronJob, owned.Where(j => JobConditions.IsTrue(j, JobConditions.Complete)), successLimit, cancellationToken);
        }
        if (cronJob.Spec.FailedJobsHistoryLimit is { } failedLimit)
        {
            changed |= await RemoveOldestAsync(cronJob, owned.Where(j => JobConditions.IsTrue(j, JobConditions.Failed)), failedLimit, cancellationToken);
        }
        return changed;
    }

    private async Task<bool> RemoveOldestAsync(V1CronJob cronJob, IEnumerable<V1Job> finished, int limit, CancellationToken cancellationToken)
    {
        var ordered = finished
            .OrderBy(j => j.Status?.StartTime is null ? 1 : 0)
            .ThenBy(j => j.Status?.StartTime ?? DateTime.MaxValue)
            .ThenBy(j => j.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var excess = ordered.Count - limit;
        if (excess <= 0)
        {
            return false;
        }
        foreach (var job in ordered.Take(excess))
        {
            await DeleteJobAsync(cronJob, job, cancellationToken);
        }
        return true;
    }

    /// <summary>Deletes a Job (Background propagation) and forgets it from status.active; false after a FailedDelete event.</summary>
    private async Task<bool> DeleteJobAsync(V1CronJob cronJob, V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            await writes.DeleteJobAsync(job, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            events.Event(cronJob, EventTypes.Warning, "FailedDelete", $"Deleted job: {e.Message}");
            return false;
        }
        RemoveFromActive(cronJob, job.Metadata.Uid);
        events.Event(cronJob, EventTypes.Normal, "SuccessfulDelete", $"Deleted job {job.Metadata.Name}");
        return true;
    }

    private static void RemoveFromActive(V1CronJob cronJob, string uid)
    {
        var remaining = cronJob.Status.Active.Where(r => r.Uid != uid).ToList();
        cronJob.Status.Active.Clear();
        foreach (var r in remaining)
        {
            cronJob.Status.Active.Add(r);
        }
    }

    [LoggerMessage(EventId = 5811, Level = LogLevel.Information, Message = "{CronJob}: created job {Job} for the start at {Scheduled:o}")]
    private static partial void LogCreated(ILogger logger, string cronJob, string job, DateTimeOffset scheduled);
}
