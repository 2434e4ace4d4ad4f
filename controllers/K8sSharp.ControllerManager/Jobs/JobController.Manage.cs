using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>Claiming, creating and deleting a Job's pods (upstream getPodsForJob, manageJob, deleteJobPods).</summary>
internal sealed partial class JobController
{
    /// <summary>
    /// Upstream ClaimPods: pods controlled by this Job are kept while they match its selector (and released, with
    /// their tracking finalizer, when they stop matching); matching orphans are adopted with the tracking finalizer.
    /// </summary>
    private async Task<List<V1Pod>> ClaimAsync(V1Job job, CancellationToken cancellationToken)
    {
        var owned = new List<V1Pod>();
        foreach (var pod in pods.List(job.Metadata.NamespaceProperty))
        {
            var matches = job.Spec.Selector is { } selector && LabelSelectors.Matches(selector, pod.Metadata.Labels);
            var owner = Pods.ControllerOf(pod.Metadata);
            if (owner is not null)
            {
                if (owner.Uid != job.Metadata.Uid)
                {
                    continue;
                }
                if (matches)
                {
                    owned.Add(pod);
                }
                else if (pod.Metadata.DeletionTimestamp is null)
                {
                    await writes.PatchPodOwnershipAsync(
                        pod, [.. (pod.Metadata.OwnerReferences ?? []).Where(r => r.Uid != job.Metadata.Uid)],
                        [.. (pod.Metadata.Finalizers ?? []).Where(f => f != JobKeys.TrackingFinalizer)], cancellationToken);
                }
                continue;
            }
            if (matches && job.Metadata.DeletionTimestamp is null && pod.Metadata.DeletionTimestamp is null)
            {
                var finalizers = (pod.Metadata.Finalizers ?? []).Append(JobKeys.TrackingFinalizer).Distinct().ToList();
                await writes.PatchPodOwnershipAsync(pod, [.. pod.Metadata.OwnerReferences ?? [], OwnerReference(job)], finalizers, cancellationToken);
                // Count it from now on as the adopted pod it has become.
                var adopted = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
                adopted.Metadata.Finalizers = finalizers;
                owned.Add(adopted);
            }
        }
        return owned;
    }

    /// <summary>
    /// Creates or deletes pods toward the wanted number of active ones (upstream manageJob): all of them go while
    /// suspended; never more than completions still to go, nor more than parallelism; creation waits out the
    /// failure backoff. Returns the number of active pods afterwards and the first error.
    /// </summary>
    private async Task<(int Active, Exception? Error)> ManageAsync(JobSyncContext ctx, CancellationToken cancellationToken)
    {
        var job = ctx.Job;
        var active = ctx.Active.Count;
        if (ctx.Suspended)
        {
            return await DeleteAsync(ctx, ctx.Active, active, cancellationToken);
        }
        var parallelism = job.Spec.Parallelism ?? 1;
        var wantActive = job.Spec.Completions is { } completions
            ? Math.Clamp(completions - ctx.Succeeded, 0, parallelism)
            : ctx.Succeeded > 0 ? active : parallelism;
        var toDelete = IndexedJobs.ActivePodsForRemoval(ctx, Math.Max(0, active - wantActive)).Take(JobKeys.MaxPodCreateDeletePerSync).ToList();
        if (toDelete.Count > 0)
        {
            // Deletion takes precedence: a sync either deletes or creates.
            return await DeleteAsync(ctx, toDelete, active, cancellationToken);
        }
        var terminating = JobPods.OnlyReplaceFailedPods(job) ? ctx.Terminating : 0;
        var diff = Math.Min(wantActive - terminating - active, JobKeys.MaxPodCreateDeletePerSync);
        if (diff <= 0)
        {
            return (active, null);
        }
        var now = Time.GetUtcNow();
        if (!ctx.HasBackoffLimitPerIndex && ctx.NewBackoff.RemainingTime(now) is { } wait && wait > TimeSpan.Zero)
        {
            Queue.AddAfter(ctx.Key, wait);
            return (active, null);
        }
        List<int?> indexes = [.. Enumerable.Repeat<int?>(null, diff)];
        if (ctx.IsIndexed)
        {
            var pending = IndexedJobs.FirstPendingIndexes(ctx, diff);
            if (ctx.HasBackoffLimitPerIndex)
            {
                (pending, var remaining) = IndexedJobs.CreatableNow(ctx, pending, now);
                if (pending.Count == 0 && remaining > TimeSpan.Zero)
                {
                    Queue.AddAfter(ctx.Key, remaining);
                    return (active, null);
                }
            }
            indexes = [.. pending.Select(i => (int?)i)];
        }
        var (created, error) = await CreateInSlowStartBatchesAsync(ctx, indexes, cancellationToken);
        return (active + created, error);
    }

    private async Task<(int Active, Exception? Error)> DeleteAsync(JobSyncContext ctx, List<V1Pod> victims, int active, CancellationToken cancellationToken)
    {
        LogScaling(Logger, ctx.Key, "deleting", victims.Count, active);
        expectations.ExpectDeletions(ctx.Key, victims.Select(Pods.Key));
        var (deletedReady, deleted, error) = await DeleteActivePodsAsync(victims, ctx.Job, removeFinalizers: true, cancellationToken);
        ctx.Terminating += deleted;
        ctx.Ready -= deletedReady;
        return (active - deleted, error);
    }

    /// <summary>
    /// Deletes the pods; with <paramref name="removeFinalizers"/> (scaling down, suspending) their tracking finalizer
    /// goes first, so they never count as failures; without it (the Job is finishing) it stays until they are
    /// counted. Returns how many ready pods and how many pods were deleted, and the first error.
    /// </summary>
    private async Task<(int DeletedReady, int Deleted, Exception? Error)> DeleteActivePodsAsync(
        List<V1Pod> victims, V1Job job, bool removeFinalizers, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(victims.Select(async pod =>
        {
            try
            {
                if (removeFinalizers)
                {
                    await writes.RemoveTrackingFinalizerAsync(pod, cancellationToken);
                }
                await writes.DeletePodAsync(pod, cancellationToken);
                events.Event(job, EventTypes.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
                return (Pod: pod, Error: (Exception?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                expectations.DeletionObserved(ObjectKeys.For(job), Pods.Key(pod));
                events.Event(job, EventTypes.Warning, "FailedDelete", $"Error deleting: {e.Message}");
                return (Pod: pod, Error: e);
            }
        }));
        var deleted = results.Where(r => r.Error is null).ToList();
        return (deleted.Count(r => Pods.IsReady(r.Pod)), deleted.Count, results.Select(r => r.Error).FirstOrDefault(e => e is not null));
    }

    /// <summary>
    /// Batches of 1, 2, 4, ... creates, stopping after the first batch with a failure (upstream slowStartBatch);
    /// creates never attempted, and failed ones, are marked observed. Returns how many were created and the first error.
    /// </summary>
    private async Task<(int Created, Exception? Error)> CreateInSlowStartBatchesAsync(JobSyncContext ctx, List<int?> indexes, CancellationToken cancellationToken)
    {
        LogScaling(Logger, ctx.Key, "creating", indexes.Count, ctx.Active.Count);
        expectations.ExpectCreations(ctx.Key, indexes.Count);
        var created = 0;
        var next = 0;
        for (var batch = 1; next < indexes.Count; batch *= 2)
        {
            var slice = indexes.Skip(next).Take(batch).ToList();
            next += slice.Count;
            var errors = await Task.WhenAll(slice.Select(index => TryCreateAsync(ctx, index, cancellationToken)));
            created += errors.Count(e => e is null);
            if (errors.FirstOrDefault(e => e is not null) is { } error)
            {
                for (var i = next; i < indexes.Count; i++)
                {
                    expectations.CreationObserved(ctx.Key);
                }
                return (created, error);
            }
        }
        return (created, null);
    }

    private async Task<Exception?> TryCreateAsync(JobSyncContext ctx, int? index, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await writes.CreatePodAsync(JobPodTemplates.NewPod(ctx, index), cancellationToken);
            events.Event(ctx.Job, EventTypes.Normal, "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}");
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            expectations.CreationObserved(ctx.Key);
            if (ApiErrors.IsNamespaceTerminating(e))
            {
                return null; // every later create would fail the same way; not worth retrying
            }
            events.Event(ctx.Job, EventTypes.Warning, "FailedCreate", $"Error creating: {e.Message}");
            return e;
        }
    }

    /// <summary>A finished Job's pods that still hold the tracking finalizer (finished late, or adopted) are let go.</summary>
    private async Task ReleaseFinishedPodsAsync(V1Job job, CancellationToken cancellationToken)
    {
        var held = pods.List(job.Metadata.NamespaceProperty)
            .Where(p => Pods.ControllerOf(p.Metadata)?.Uid == job.Metadata.Uid && JobPods.HasTrackingFinalizer(p));
        await Task.WhenAll(held.Select(p => writes.RemoveTrackingFinalizerAsync(p, cancellationToken)));
    }

    /// <summary>
    /// A pod with the tracking finalizer whose controlling Job is gone, finished or not a Job at all loses the
    /// finalizer, so it can be deleted (upstream syncOrphanPod). Pods of live Jobs are that Job's business.
    /// </summary>
    private async Task SyncOrphanPodAsync(string podKey, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(podKey);
        var pod = pods.Get(ns, name);
        if (pod is null || !JobPods.HasTrackingFinalizer(pod))
        {
            return;
        }
        if (Pods.ControllerOf(pod.Metadata) is { } owner)
        {
            if (owner.Kind != "Job" || owner.ApiVersion != "batch/v1")
            {
                return;
            }
            if (Resolve(ns, owner) is { } job && !JobConditions.IsFinished(job))
            {
                return;
            }
        }
        await writes.RemoveTrackingFinalizerAsync(pod, cancellationToken);
    }

    [LoggerMessage(EventId = 5801, Level = LogLevel.Information, Message = "{Job}: {Verb} {Count} pods ({Active} active)")]
    private static partial void LogScaling(ILogger logger, string job, string verb, int count, int active);

    [LoggerMessage(EventId = 5802, Level = LogLevel.Information, Message = "{Job}: finished, condition {Condition} ({Reason})")]
    private static partial void LogFinished(ILogger logger, string job, string condition, string reason);
}
