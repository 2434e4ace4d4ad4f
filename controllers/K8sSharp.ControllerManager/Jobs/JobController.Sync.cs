using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>The sync of one Job (upstream syncJob): count pods, decide whether the Job is finishing, manage pods, track status.</summary>
internal sealed partial class JobController
{
    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith(OrphanPodPrefix, StringComparison.Ordinal))
        {
            await SyncOrphanPodAsync(key[OrphanPodPrefix.Length..], cancellationToken);
            return;
        }
        var (ns, name) = ObjectKeys.Split(key);
        var shared = jobs.Get(ns, name);
        if (shared is null)
        {
            expectations.Delete(key);
            finalizerExpectations.Delete(key);
            backoffs.Remove(key);
            return;
        }
        if (shared.Spec.ManagedBy is { } managedBy && managedBy != JobKeys.ManagedByThisController)
        {
            return; // an external controller's Job
        }
        if (JobConditions.IsFinished(shared))
        {
            backoffs.Remove(key);
            await ReleaseFinishedPodsAsync(shared, cancellationToken);
            return;
        }
        if (shared.Spec.CompletionMode is { } mode && mode is not ("NonIndexed" or "Indexed"))
        {
            events.Event(shared, EventTypes.Warning, "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
            return;
        }
        await SyncJobAsync(key, Copy(shared), cancellationToken);
    }

    private async Task SyncJobAsync(string key, V1Job job, CancellationToken cancellationToken)
    {
        job.Status ??= new V1JobStatus();
        job.Status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        // Read before listing pods: a pod observed after this point is at worst counted once more next time.
        var satisfied = expectations.Satisfied(key);
        var owned = await ClaimAsync(job, cancellationToken);
        var ctx = new JobSyncContext(key, job, owned, finalizerExpectations.ExpectedUids(key));
        var active = ctx.Active.Count;
        var (newSucceeded, newFailed) = NewFinishedPods(ctx);
        ctx.Succeeded = job.Status.Succeeded.GetValueOrDefault() + newSucceeded.Count + ctx.UncountedSucceeded.Count;
        ctx.Failed = job.Status.Failed.GetValueOrDefault() + newFailed.Count(p => PodFailurePolicies.Match(job.Spec.PodFailurePolicy, p).CountFailed)
            + ctx.UncountedFailed.Count;
        var now = Time.GetUtcNow();
        if (job.Status.StartTime is null && !ctx.Suspended)
        {
            job.Status.StartTime = Seconds(now);
        }
        ctx.NewBackoff = BackoffRecords.Next(backoffs.Get(key), newSucceeded, newFailed);
        DecideFailure(ctx, now);
        if (ctx.IsIndexed)
        {
            DecideIndexes(ctx, now);
        }
        var suspendChanged = false;
        Exception? manageError = null;
        if (ctx.Finished is not null)
        {
            var (deletedReady, deleted, error) = await DeleteActivePodsAsync(ctx.Active, job, removeFinalizers: false, cancellationToken);
            if (deleted != active || !satisfied)
            {
                ctx.Finished = null; // pods still to go, or creates not yet seen: not finished yet
            }
            active -= deleted;
            ctx.Terminating += deleted;
            ctx.Ready -= deletedReady;
            manageError = error;
        }
        else
        {
            var managed = false;
            if (satisfied && job.Metadata.DeletionTimestamp is null)
            {
                (active, manageError) = await ManageAsync(ctx, cancellationToken);
                managed = true;
            }
            var complete = job.Spec.Completions is null
                ? ctx.Succeeded > 0 && active == 0
                : ctx.Succeeded >= job.Spec.Completions && active == 0;
            if (complete)
            {
                ctx.Finished = JobConditions.New(JobConditions.SuccessCriteriaMet, "", "", now);
            }
            else if (managed)
            {
                suspendChanged = UpdateSuspendedCondition(job, now);
            }
        }
        var needsFlush = suspendChanged || active != job.Status.Active.GetValueOrDefault()
            || ctx.Ready != job.Status.Ready.GetValueOrDefault() || ctx.Terminating != job.Status.Terminating.GetValueOrDefault()
            || job.Status.Ready is null || job.Status.Terminating is null;
        job.Status.Active = active;
        job.Status.Ready = ctx.Ready;
        job.Status.Terminating = ctx.Terminating;
        await TrackStatusAndRemoveFinalizersAsync(ctx, needsFlush, cancellationToken);
        if (manageError is not null)
        {
            throw manageError;
        }
    }

    /// <summary>
    /// The failure decisions, in upstream order: an earlier SuccessCriteriaMet wins; then a FailureTarget already
    /// recorded or a FailJob rule match; then backoffLimit, then activeDeadlineSeconds (requeued for its expiry).
    /// </summary>
    private void DecideFailure(JobSyncContext ctx, DateTimeOffset now)
    {
        var job = ctx.Job;
        if (JobConditions.Find(job, JobConditions.SuccessCriteriaMet) is { Status: "True" } met)
        {
            ctx.Finished = met;
            return;
        }
        if (JobConditions.Find(job, JobConditions.FailureTarget) is { Status: "True" } target)
        {
            ctx.Finished = JobConditions.New(JobConditions.Failed, target.Reason ?? "", target.Message ?? "", now);
            return;
        }
        if (FailJobMessage(job, ctx.Pods) is { } message)
        {
            ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "PodFailurePolicy", message, now);
            return;
        }
        if (ctx.Failed > (job.Spec.BackoffLimit ?? 6) || PastBackoffLimitOnFailure(job, ctx.Pods))
        {
            ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
        }
        else if (PastActiveDeadline(job, now))
        {
            ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "DeadlineExceeded", "Job was active longer than specified deadline", now);
        }
        else if (job.Spec.ActiveDeadlineSeconds is { } deadline && !ctx.Suspended && job.Status.StartTime is { } start)
        {
            Queue.AddAfter(ctx.Key, JobPods.Utc(start).AddSeconds(deadline) - now);
        }
    }

    /// <summary>Indexed Jobs: completed indexes, failed indexes (backoffLimitPerIndex) and the success policy.</summary>
    private static void DecideIndexes(JobSyncContext ctx, DateTimeOffset now)
    {
        var job = ctx.Job;
        ctx.PrevSucceededIndexes = IndexSet.Parse(job.Status.CompletedIndexes, ctx.Completions);
        ctx.SucceededIndexes = ctx.PrevSucceededIndexes.With(ctx.Pods
            .Where(p => JobPods.IsSucceeded(p) && JobPods.HasValidIndex(p, ctx.Completions) && JobPods.HasTrackingFinalizer(p))
            .Select(JobPods.CompletionIndex));
        ctx.Succeeded = ctx.SucceededIndexes.Total;
        if (ctx.HasBackoffLimitPerIndex)
        {
            ctx.FailedIndexes = IndexedJobs.FailedIndexes(ctx);
            if (ctx.Finished is null)
            {
                if (job.Spec.MaxFailedIndexes is { } max && ctx.FailedIndexes.Total > max)
                {
                    ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes", now);
                }
                else if (ctx.FailedIndexes.Total > 0 && ctx.FailedIndexes.Total + ctx.SucceededIndexes.Total >= ctx.Completions)
                {
                    ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "FailedIndexes", "Job has failed indexes", now);
                }
            }
            ctx.LastFailed = IndexedJobs.LastFailedPerIndex(ctx);
            ctx.DelayedDeletion = IndexedJobs.PodsWithDelayedDeletion(ctx);
        }
        if (ctx.Finished is null && IndexedJobs.MatchSuccessPolicy(job.Spec.SuccessPolicy, ctx.Completions, ctx.SucceededIndexes) is { } message)
        {
            ctx.Finished = JobConditions.New(JobConditions.SuccessCriteriaMet, "SuccessPolicy", message, now);
        }
    }

    /// <summary>Suspended True/False with its event; resuming restarts the activeDeadlineSeconds clock. Returns whether it changed.</summary>
    private bool UpdateSuspendedCondition(V1Job job, DateTimeOffset now)
    {
        if (job.Spec.Suspend == true)
        {
            if (!JobConditions.Ensure(job, JobConditions.Suspended, "True", "JobSuspended", "Job suspended", now))
            {
                return false;
            }
            events.Event(job, EventTypes.Normal, "Suspended", "Job suspended");
            return true;
        }
        if (!JobConditions.Ensure(job, JobConditions.Suspended, "False", "JobResumed", "Job resumed", now))
        {
            return false;
        }
        events.Event(job, EventTypes.Normal, "Resumed", "Job resumed");
        job.Status.StartTime = Seconds(now);
        return true;
    }

    /// <summary>Finished pods not yet in the counters nor in uncountedTerminatedPods (upstream getNewFinishedPods).</summary>
    private static (List<V1Pod> Succeeded, List<V1Pod> Failed) NewFinishedPods(JobSyncContext ctx)
    {
        var valid = ctx.Pods.Where(p => ctx.IsUnprocessed(p) && (!ctx.IsIndexed || JobPods.HasValidIndex(p, ctx.Completions))).ToList();
        return (
            [.. valid.Where(p => JobPods.IsSucceeded(p) && !ctx.UncountedSucceeded.Contains(p.Metadata.Uid))],
            [.. valid.Where(p => JobPods.IsFailed(p, ctx.Job) && !ctx.UncountedFailed.Contains(p.Metadata.Uid))]);
    }

    private static string? FailJobMessage(V1Job job, List<V1Pod> owned) =>
        job.Spec.PodFailurePolicy is null
            ? null
            : owned.Where(p => JobPods.IsFailed(p, job)).Select(p => PodFailurePolicies.Match(job.Spec.PodFailurePolicy, p).FailJobMessage).FirstOrDefault(m => m is not null);

    /// <summary>restartPolicy OnFailure: the container restarts of running pods count against backoffLimit.</summary>
    private static bool PastBackoffLimitOnFailure(V1Job job, List<V1Pod> owned)
    {
        if (job.Spec.Template?.Spec?.RestartPolicy != "OnFailure")
        {
            return false;
        }
        var restarts = owned.Where(p => p.Status?.Phase is "Running" or "Pending")
            .Sum(p => (p.Status.InitContainerStatuses?.Sum(s => s.RestartCount) ?? 0) + (p.Status.ContainerStatuses?.Sum(s => s.RestartCount) ?? 0));
        var limit = job.Spec.BackoffLimit ?? 6;
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    private static bool PastActiveDeadline(V1Job job, DateTimeOffset now) =>
        job.Spec.ActiveDeadlineSeconds is { } deadline && job.Status.StartTime is { } start && job.Spec.Suspend != true
        && now - JobPods.Utc(start) >= TimeSpan.FromSeconds(deadline);

    internal static DateTime Seconds(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    /// <summary>A deep copy: the lister's object belongs to the shared cache.</summary>
    private static V1Job Copy(V1Job job) => KubernetesJson.Deserialize<V1Job>(KubernetesJson.Serialize(job));
}
