using k8s.Models;
using K8sSharp.Client.Events;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>
/// Exact pod counting with the tracking finalizer (upstream trackJobStatusAndRemoveFinalizers): finished pods are
/// first recorded by uid in status.uncountedTerminatedPods (Indexed successes: in completedIndexes), that status is
/// written, only then their finalizers are removed, and the uids whose finalizer is gone move into the counters.
/// The terminal condition is written last, once nothing is uncounted and no pod is terminating.
/// </summary>
internal sealed partial class JobController
{
    private async Task TrackStatusAndRemoveFinalizersAsync(JobSyncContext ctx, bool needsFlush, CancellationToken cancellationToken)
    {
        var job = ctx.Job;
        var uncounted = job.Status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        uncounted.Succeeded ??= [];
        uncounted.Failed ??= [];
        var withFinalizer = new HashSet<string>(ctx.Pods.Where(ctx.IsUnprocessed).Select(p => p.Metadata.Uid), StringComparer.Ordinal);
        needsFlush |= CountUncountedWithoutFinalizers(job.Status, withFinalizer);
        var toRelease = new List<V1Pod>();
        var newSucceededIndexes = new List<int>();
        var reachedMax = false;
        var ordered = ctx.IsIndexed ? ctx.Pods.OrderBy(JobPods.CompletionIndex).ToList() : ctx.Pods;
        foreach (var pod in ordered)
        {
            if (!ctx.IsUnprocessed(pod))
            {
                continue; // processed in an earlier sync
            }
            var failed = JobPods.IsFailed(pod, job);
            if (!CanRemoveFinalizer(ctx, pod, failed))
            {
                continue;
            }
            toRelease.Add(pod);
            needsFlush |= RecordOutcome(ctx, pod, failed, newSucceededIndexes);
            if (newSucceededIndexes.Count + uncounted.Succeeded.Count + uncounted.Failed.Count >= JobKeys.MaxUncountedPods)
            {
                // Keeps the uid lists small and this sync short; the status write requeues the Job for the rest.
                reachedMax = true;
                break;
            }
        }
        if (ctx.IsIndexed)
        {
            needsFlush |= UpdateIndexStrings(ctx, newSucceededIndexes);
        }
        needsFlush |= PrepareTerminalCondition(ctx);
        needsFlush = await FlushAndRemoveFinalizersAsync(ctx, toRelease, withFinalizer, needsFlush, cancellationToken);
        var finished = !reachedMax && EnactFinished(ctx);
        if (finished || needsFlush)
        {
            ctx.Job = await writes.UpdateStatusAsync(ctx.Job, cancellationToken);
            if (finished)
            {
                RecordFinished(ctx.Job, ctx.Finished!);
            }
        }
    }

    /// <summary>
    /// The finalizer may go when the Job is being deleted or is finishing, when the pod succeeded, or when it failed
    /// (unless it is the failed pod of an index whose replacement must still inherit its failure count).
    /// </summary>
    private static bool CanRemoveFinalizer(JobSyncContext ctx, V1Pod pod, bool failed)
    {
        if (ctx.Job.Metadata.DeletionTimestamp is not null || ctx.Finished is not null || JobPods.IsSucceeded(pod))
        {
            return true;
        }
        if (!failed)
        {
            return false;
        }
        return !(ctx.HasBackoffLimitPerIndex && ctx.DelayedDeletion.TryGetValue(JobPods.CompletionIndex(pod), out var delayed)
            && delayed.Metadata.Uid == pod.Metadata.Uid);
    }

    /// <summary>Adds a pod about to lose its finalizer to the uncounted lists (or completed indexes). Returns whether status changed.</summary>
    private static bool RecordOutcome(JobSyncContext ctx, V1Pod pod, bool failed, List<int> newSucceededIndexes)
    {
        var job = ctx.Job;
        var uncounted = job.Status.UncountedTerminatedPods;
        var uid = pod.Metadata.Uid;
        if (JobPods.IsSucceeded(pod) && !ctx.UncountedFailed.Contains(uid))
        {
            if (ctx.IsIndexed)
            {
                var index = JobPods.CompletionIndex(pod);
                if (JobPods.HasValidIndex(pod, ctx.Completions) && !ctx.PrevSucceededIndexes.Has(index))
                {
                    newSucceededIndexes.Add(index);
                    return true;
                }
                return false;
            }
            if (ctx.UncountedSucceeded.Contains(uid))
            {
                return false;
            }
            uncounted.Succeeded.Add(uid);
            return true;
        }
        // A Job that is failing counts every unfinished pod it deletes as failed.
        var finishingAsFailure = ctx.Finished is not null && ctx.Finished.Type != JobConditions.SuccessCriteriaMet;
        if (!(failed || finishingAsFailure) || ctx.UncountedFailed.Contains(uid) || (ctx.IsIndexed && !JobPods.HasValidIndex(pod, ctx.Completions)))
        {
            return false;
        }
        if (!PodFailurePolicies.Match(job.Spec.PodFailurePolicy, pod).CountFailed)
        {
            return false;
        }
        uncounted.Failed.Add(uid);
        return true;
    }

    private static bool UpdateIndexStrings(JobSyncContext ctx, List<int> newSucceededIndexes)
    {
        var status = ctx.Job.Status;
        var changed = false;
        ctx.SucceededIndexes = ctx.SucceededIndexes.With(newSucceededIndexes);
        var completed = ctx.SucceededIndexes.ToString();
        if (completed != (status.CompletedIndexes ?? string.Empty))
        {
            changed = true;
        }
        status.Succeeded = ctx.SucceededIndexes.Total;
        status.CompletedIndexes = completed;
        var failed = ctx.FailedIndexes?.ToString();
        if (failed != status.FailedIndexes)
        {
            status.FailedIndexes = failed;
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// The interim conditions are written before any finalizer goes (FailureTarget, SuccessCriteriaMet); the terminal
    /// ones (Failed, Complete) are prepared for after. Returns whether status changed.
    /// </summary>
    private bool PrepareTerminalCondition(JobSyncContext ctx)
    {
        var job = ctx.Job;
        var now = Time.GetUtcNow();
        var changed = false;
        if (ctx.Finished is { Type: JobConditions.FailureTarget } target)
        {
            job.Status.Conditions ??= [];
            job.Status.Conditions.Add(target);
            changed = true;
            ctx.Finished = JobConditions.New(JobConditions.Failed, target.Reason ?? "", target.Message ?? "", now);
        }
        if (ctx.Finished is { Type: JobConditions.SuccessCriteriaMet } met)
        {
            if (JobConditions.Find(job, JobConditions.SuccessCriteriaMet) is null)
            {
                job.Status.Conditions ??= [];
                job.Status.Conditions.Add(met);
                changed = true;
            }
            ctx.Finished = JobConditions.New(JobConditions.Complete, met.Reason ?? "", met.Message ?? "", now);
        }
        return changed;
    }

    /// <summary>
    /// Writes the status holding the new uncounted uids, removes the finalizers, moves the released uids into the
    /// counters; on partial failure writes that progress and throws. Returns whether a write is still pending.
    /// </summary>
    private async Task<bool> FlushAndRemoveFinalizersAsync(
        JobSyncContext ctx, List<V1Pod> toRelease, HashSet<string> withFinalizer, bool needsFlush, CancellationToken cancellationToken)
    {
        if (needsFlush)
        {
            ctx.Job = await writes.UpdateStatusAsync(ctx.Job, cancellationToken);
            backoffs.Set(ctx.Key, ctx.NewBackoff);
            needsFlush = false;
        }
        Exception? removeError = null;
        if (toRelease.Count > 0)
        {
            finalizerExpectations.ExpectRemoved(ctx.Key, toRelease.Select(p => p.Metadata.Uid));
            var results = await Task.WhenAll(toRelease.Select(async pod =>
            {
                try
                {
                    await writes.RemoveTrackingFinalizerAsync(pod, cancellationToken);
                    return (pod.Metadata.Uid, Error: (Exception?)null);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    finalizerExpectations.Observed(ctx.Key, pod.Metadata.Uid); // no update is coming for it
                    return (pod.Metadata.Uid, Error: e);
                }
            }));
            withFinalizer.ExceptWith(results.Where(r => r.Error is null).Select(r => r.Uid));
            removeError = results.Select(r => r.Error).FirstOrDefault(e => e is not null);
        }
        needsFlush |= CountUncountedWithoutFinalizers(ctx.Job.Status, withFinalizer);
        if (removeError is not null)
        {
            if (needsFlush)
            {
                ctx.Job = await writes.UpdateStatusAsync(ctx.Job, cancellationToken);
            }
            throw removeError;
        }
        return needsFlush;
    }

    /// <summary>Moves uids whose pod no longer has the finalizer from the uncounted lists into succeeded/failed.</summary>
    private static bool CountUncountedWithoutFinalizers(V1JobStatus status, HashSet<string> withFinalizer)
    {
        var uncounted = status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        var succeeded = (uncounted.Succeeded ?? []).Where(withFinalizer.Contains).ToList();
        var failed = (uncounted.Failed ?? []).Where(withFinalizer.Contains).ToList();
        var changed = false;
        if (succeeded.Count != (uncounted.Succeeded?.Count ?? 0))
        {
            status.Succeeded = status.Succeeded.GetValueOrDefault() + uncounted.Succeeded!.Count - succeeded.Count;
            changed = true;
        }
        if (failed.Count != (uncounted.Failed?.Count ?? 0))
        {
            status.Failed = status.Failed.GetValueOrDefault() + uncounted.Failed!.Count - failed.Count;
            changed = true;
        }
        uncounted.Succeeded = succeeded;
        uncounted.Failed = failed;
        return changed;
    }

    /// <summary>Adds Complete/Failed once nothing is uncounted and no pod is still terminating.</summary>
    private bool EnactFinished(JobSyncContext ctx)
    {
        if (ctx.Finished is not { } finished)
        {
            return false;
        }
        var status = ctx.Job.Status;
        if ((status.UncountedTerminatedPods?.Succeeded?.Count ?? 0) + (status.UncountedTerminatedPods?.Failed?.Count ?? 0) > 0 || ctx.Terminating > 0)
        {
            return false;
        }
        // The condition's own time, so completionTime and the Complete transition agree.
        var at = JobPods.Utc(finished.LastTransitionTime ?? Time.GetUtcNow().UtcDateTime);
        JobConditions.Ensure(ctx.Job, finished.Type, finished.Status, finished.Reason ?? "", finished.Message ?? "", at);
        if (finished.Type == JobConditions.Complete)
        {
            status.CompletionTime = finished.LastTransitionTime;
        }
        return true;
    }

    private void RecordFinished(V1Job job, V1JobCondition finished)
    {
        LogFinished(Logger, $"{job.Metadata.NamespaceProperty}/{job.Metadata.Name}", finished.Type, finished.Reason ?? string.Empty);
        if (finished.Type == JobConditions.Complete)
        {
            if (job.Spec.Completions is { } completions && job.Status.Succeeded > completions)
            {
                events.Event(job, EventTypes.Warning, "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
            }
            events.Event(job, EventTypes.Normal, "Completed", "Job completed");
            return;
        }
        events.Event(job, EventTypes.Warning, finished.Reason ?? "Failed", finished.Message ?? string.Empty);
    }
}
