namespace K8sSharp.Client.WorkQueues;

/// <summary>
/// Per-item exponential backoff (client-go's ItemExponentialFailureRateLimiter): the n-th consecutive failure of a
/// key waits <c>baseDelay · 2^(n-1)</c>, capped at <c>maxDelay</c>; <see cref="Forget"/> starts the key over.
/// Thread-safe.
/// </summary>
public sealed class ItemExponentialRateLimiter
{
    private readonly object gate = new();
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;

    /// <summary>client-go's controller default: 5 ms doubling to 1000 s.</summary>
    public ItemExponentialRateLimiter()
        : this(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000))
    {
    }

    public ItemExponentialRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /// <summary>Records one more failure of <paramref name="key"/> and returns how long to wait before retrying it.</summary>
    public TimeSpan When(string key)
    {
        int exponent;
        lock (gate)
        {
            exponent = failures.GetValueOrDefault(key);
            failures[key] = exponent + 1;
        }
        // 2^exponent overflows quickly; beyond 62 doublings anything is past the cap anyway.
        var ticks = exponent >= 62 ? double.MaxValue : baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public int NumRequeues(string key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    public void Forget(string key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }
}
