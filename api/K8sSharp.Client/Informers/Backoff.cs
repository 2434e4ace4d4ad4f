namespace K8sSharp.Client.Informers;

/// <summary>
/// Exponential backoff between failed attempts: <c>initial</c> doubling to <c>max</c>, reset after a success.
/// Not thread-safe: each loop owns its own instance.
/// </summary>
public sealed class Backoff
{
    private readonly TimeSpan initial;
    private readonly TimeSpan max;
    private TimeSpan next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        this.initial = initial;
        this.max = max;
        next = initial;
    }

    /// <summary>The delay before the next attempt; each call doubles the following one.</summary>
    public TimeSpan Next()
    {
        var current = next;
        next = TimeSpan.FromTicks(Math.Min(max.Ticks, next.Ticks * 2));
        return current;
    }

    public void Reset() => next = initial;
}
