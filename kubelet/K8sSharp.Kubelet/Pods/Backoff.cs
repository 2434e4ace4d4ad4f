using System.Collections.Concurrent;

namespace K8sSharp.Kubelet.Pods;

/// <summary>
/// Per-key exponential back-off in the shape of client-go's flowcontrol.Backoff as the kubelet uses it for
/// CrashLoopBackOff and ImagePullBackOff: the first failure is retried at once and arms the back-off at
/// <c>initial</c>; a key is "in back-off" while less than its delay has passed since the failure; every further
/// failure doubles the delay up to <c>max</c>. An entry whose last update is more than 2×max before the next failure
/// (the container ran for 10 minutes) starts over at <c>initial</c>.
/// </summary>
internal sealed class Backoff(TimeProvider time, TimeSpan initial, TimeSpan max)
{
    private readonly ConcurrentDictionary<string, (TimeSpan Delay, DateTimeOffset LastUpdate)> entries = new(StringComparer.Ordinal);

    /// <summary>The kubelet's container restart back-off: 10 s doubling to 5 min.</summary>
    public static Backoff ForContainers(TimeProvider time) => new(time, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    /// <summary>True while the failure at <paramref name="failedAt"/> must not be retried yet.</summary>
    public bool IsInBackoffSince(string key, DateTimeOffset failedAt)
    {
        if (!entries.TryGetValue(key, out var entry) || Expired(failedAt, entry.LastUpdate))
        {
            return false;
        }
        return time.GetUtcNow() - failedAt < entry.Delay;
    }

    /// <summary>Records a retry of the failure at <paramref name="failedAt"/>: arms or doubles the delay.</summary>
    public void Next(string key, DateTimeOffset failedAt)
    {
        var delay = entries.TryGetValue(key, out var entry) && !Expired(failedAt, entry.LastUpdate)
            ? TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, max.Ticks))
            : initial;
        entries[key] = (delay, time.GetUtcNow());
    }

    /// <summary>The current delay of the key (zero when it has none).</summary>
    public TimeSpan Delay(string key) => entries.TryGetValue(key, out var entry) ? entry.Delay : TimeSpan.Zero;

    /// <summary>When the failure at <paramref name="failedAt"/> may be retried (now, when not in back-off).</summary>
    public DateTimeOffset RetryAt(string key, DateTimeOffset failedAt) =>
        IsInBackoffSince(key, failedAt) ? failedAt + entries[key].Delay : time.GetUtcNow();

    public void Forget(string keyPrefix)
    {
        foreach (var key in entries.Keys.Where(k => k.StartsWith(keyPrefix, StringComparison.Ordinal)))
        {
            entries.TryRemove(key, out _);
        }
    }

    private bool Expired(DateTimeOffset eventTime, DateTimeOffset lastUpdate) => eventTime - lastUpdate > max * 2;
}
