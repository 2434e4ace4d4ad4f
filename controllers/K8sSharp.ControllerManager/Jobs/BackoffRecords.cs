using System.Collections.Concurrent;
using k8s.Models;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>Consecutive pod failures of a Job since its last success, and when the last one happened.</summary>
internal sealed record BackoffRecord(int FailuresAfterLastSuccess, DateTimeOffset? LastFailureTime)
{
    public static readonly BackoffRecord None = new(0, null);

    /// <summary>How long pod creation must still wait: 10 s doubled per further failure, at most 10 min (upstream).</summary>
    public TimeSpan RemainingTime(DateTimeOffset now) => BackoffRecords.RemainingTime(FailuresAfterLastSuccess, LastFailureTime, now);
}

/// <summary>
/// Per-Job pod-creation backoff after failures (upstream backoff_utils.go), in memory: a restarted controller starts
/// without backoff, as upstream's does.
/// </summary>
internal sealed class BackoffRecords
{
    private readonly ConcurrentDictionary<string, BackoffRecord> records = new(StringComparer.Ordinal);

    public BackoffRecord Get(string key) => records.GetValueOrDefault(key, BackoffRecord.None);

    public void Set(string key, BackoffRecord record) => records[key] = record;

    public void Remove(string key) => records.TryRemove(key, out _);

    /// <summary>
    /// The record after observing newly finished pods: successes reset the count; failures after the last success
    /// add to it.
    /// </summary>
    public static BackoffRecord Next(BackoffRecord previous, IEnumerable<V1Pod> newSucceeded, IEnumerable<V1Pod> newFailed)
    {
        var failedTimes = newFailed.Select(JobPods.FinishedTime).Order().ToList();
        var succeededTimes = newSucceeded.Select(JobPods.FinishedTime).ToList();
        if (succeededTimes.Count == 0)
        {
            return failedTimes.Count == 0 ? previous : new BackoffRecord(previous.FailuresAfterLastSuccess + failedTimes.Count, failedTimes[^1]);
        }
        var lastSuccess = succeededTimes.Max();
        var after = failedTimes.Where(t => t > lastSuccess).ToList();
        return after.Count == 0 ? BackoffRecord.None : new BackoffRecord(after.Count, after[^1]);
    }

    public static TimeSpan RemainingTime(int failures, DateTimeOffset? lastFailure, DateTimeOffset now)
    {
        if (failures == 0 || lastFailure is not { } last)
        {
            return TimeSpan.Zero;
        }
        var backoff = JobKeys.DefaultPodFailureBackoff;
        for (var i = 1; i < failures && backoff < JobKeys.MaxPodFailureBackoff; i++)
        {
            backoff *= 2;
        }
        if (backoff > JobKeys.MaxPodFailureBackoff)
        {
            backoff = JobKeys.MaxPodFailureBackoff;
        }
        var elapsed = now - last;
        return backoff < elapsed ? TimeSpan.Zero : backoff - elapsed;
    }
}
