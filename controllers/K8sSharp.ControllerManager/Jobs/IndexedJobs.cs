using System.Globalization;
using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>Indexed completion mode (upstream indexed_job_utils.go, success_policy.go).</summary>
internal static class IndexedJobs
{
    /// <summary>
    /// The first <paramref name="count"/> indexes that are neither succeeded, failed, nor held by an active pod (nor,
    /// when only failed pods are replaced, by a terminating one).
    /// </summary>
    public static List<int> FirstPendingIndexes(JobSyncContext ctx, int count)
    {
        var busy = new HashSet<int>(ctx.SucceededIndexes.Items);
        busy.UnionWith(ctx.Active.Select(JobPods.CompletionIndex));
        busy.UnionWith(ctx.FailedIndexes?.Items ?? []);
        if (JobPods.OnlyReplaceFailedPods(ctx.Job))
        {
            busy.UnionWith(ctx.Pods.Where(JobPods.IsTerminating).Select(JobPods.CompletionIndex));
        }
        return [.. Enumerable.Range(0, ctx.Completions).Where(i => !busy.Contains(i)).Take(count)];
    }

    /// <summary>
    /// Active pods to delete: for Indexed Jobs first those without a valid index and all but one per duplicated index,
    /// then (both modes) the earliest-stage pods until <paramref name="atLeast"/> are chosen.
    /// </summary>
    public static List<V1Pod> ActivePodsForRemoval(JobSyncContext ctx, int atLeast)
    {
        var remove = new List<V1Pod>();
        var left = ctx.Active;
        if (ctx.IsIndexed)
        {
            left = [];
            foreach (var group in ctx.Active.GroupBy(JobPods.CompletionIndex))
            {
                if (group.Key == JobPods.UnknownIndex || group.Key >= ctx.Completions)
                {
                    remove.AddRange(group);
                    continue;
                }
                // Keep the pod furthest along; the rest duplicate its index.
                var ordered = Pods.InDeletionOrder(group).ToList();
                remove.AddRange(ordered.Take(ordered.Count - 1));
                left.Add(ordered[^1]);
            }
        }
        if (remove.Count < atLeast)
        {
            remove.AddRange(Pods.InDeletionOrder(left).Take(atLeast - remove.Count));
        }
        return remove;
    }

    /// <summary>A failed pod's (counted, ignored) failures of its index, itself included (upstream getNewIndexFailureCounts).</summary>
    public static (int Counted, int Ignored) FailureCounts(V1Job job, V1Pod failed)
    {
        var counted = JobPods.AnnotationCount(failed, JobKeys.IndexFailureCount);
        var ignored = JobPods.AnnotationCount(failed, JobKeys.IndexIgnoredFailureCount);
        return PodFailurePolicies.Match(job.Spec.PodFailurePolicy, failed).CountFailed ? (counted + 1, ignored) : (counted, ignored + 1);
    }

    /// <summary>
    /// backoffLimitPerIndex: the indexes already failed in status, plus those whose latest failed pod exceeded the
    /// per-index limit or matched a FailIndex rule.
    /// </summary>
    public static IndexSet FailedIndexes(JobSyncContext ctx)
    {
        var job = ctx.Job;
        var limit = job.Spec.BackoffLimitPerIndex ?? 0;
        var failed = IndexSet.Parse(job.Status.FailedIndexes, ctx.Completions).Items.ToList();
        foreach (var pod in ctx.Pods.Where(p => JobPods.IsFailed(p, job) && ctx.IsUnprocessed(p) && JobPods.HasValidIndex(p, ctx.Completions)))
        {
            var index = JobPods.CompletionIndex(pod);
            if (ctx.SucceededIndexes.Has(index))
            {
                continue;
            }
            if (PodFailurePolicies.Match(job.Spec.PodFailurePolicy, pod).Action == "FailIndex" || FailureCounts(job, pod).Counted > limit)
            {
                failed.Add(index);
            }
        }
        return new IndexSet(failed);
    }

    /// <summary>Per pending index (neither succeeded nor failed), its latest failed pod: the one with the most failures.</summary>
    public static Dictionary<int, V1Pod> LastFailedPerIndex(JobSyncContext ctx)
    {
        var result = new Dictionary<int, V1Pod>();
        var byIndex = ctx.Pods.Where(p => JobPods.HasValidIndex(p, ctx.Completions) && JobPods.IsFailed(p, ctx.Job)).GroupBy(JobPods.CompletionIndex);
        foreach (var group in byIndex)
        {
            if (!ctx.SucceededIndexes.Has(group.Key) && ctx.FailedIndexes?.Has(group.Key) != true)
            {
                result[group.Key] = group.OrderBy(TotalFailures).ThenBy(JobPods.FinishedTime).Last();
            }
        }
        return result;
    }

    /// <summary>
    /// The latest failed pods that keep their tracking finalizer because no replacement exists yet, so their failure
    /// counts can still be handed to the replacement (upstream getPodsWithDelayedDeletionPerIndex).
    /// </summary>
    public static Dictionary<int, V1Pod> PodsWithDelayedDeletion(JobSyncContext ctx) =>
        ctx.LastFailed
            .Where(entry => ctx.IsUnprocessed(entry.Value) && !ctx.Pods.Any(p =>
                JobPods.CompletionIndex(p) == entry.Key && p.Metadata.Uid != entry.Value.Metadata.Uid && TotalFailures(p) > TotalFailures(entry.Value)))
            .ToDictionary(entry => entry.Key, entry => entry.Value);

    /// <summary>The indexes whose per-index backoff has passed, or the shortest wait when none has.</summary>
    public static (List<int> Indexes, TimeSpan Remaining) CreatableNow(JobSyncContext ctx, List<int> indexes, DateTimeOffset now)
    {
        var ready = new List<int>();
        TimeSpan? shortest = null;
        foreach (var index in indexes)
        {
            var wait = ctx.LastFailed.TryGetValue(index, out var lastFailed)
                ? BackoffRecords.RemainingTime(TotalFailures(lastFailed) + 1, JobPods.FinishedTime(lastFailed), now)
                : TimeSpan.Zero;
            if (wait <= TimeSpan.Zero)
            {
                ready.Add(index);
            }
            else if (shortest is null || wait < shortest)
            {
                shortest = wait;
            }
        }
        return ready.Count > 0 ? (ready, TimeSpan.Zero) : (ready, shortest ?? TimeSpan.Zero);
    }

    /// <summary>The message of the first successPolicy rule the succeeded indexes satisfy, or null.</summary>
    public static string? MatchSuccessPolicy(V1SuccessPolicy? policy, int completions, IndexSet succeeded)
    {
        for (var i = 0; i < (policy?.Rules?.Count ?? 0); i++)
        {
            var rule = policy!.Rules[i];
            bool met;
            if (rule.SucceededIndexes is { } text)
            {
                var wanted = IndexSet.Parse(text, completions);
                var have = wanted.Items.Count(succeeded.Has);
                met = rule.SucceededCount is { } count ? have >= count : have == wanted.Total;
            }
            else
            {
                met = rule.SucceededCount is { } count && succeeded.Total >= count;
            }
            if (met)
            {
                return string.Format(CultureInfo.InvariantCulture, "Matched rules at index {0}", i);
            }
        }
        return null;
    }

    private static int TotalFailures(V1Pod pod) =>
        JobPods.AnnotationCount(pod, JobKeys.IndexFailureCount) + JobPods.AnnotationCount(pod, JobKeys.IndexIgnoredFailureCount);
}
