using K8sSharp.Kubelet.Status;

namespace K8sSharp.Kubelet.Pods;

/// <summary>What one sync of one pod decided: why containers wait, and when the pod must be looked at again.</summary>
internal sealed class SyncState(DateTimeOffset now)
{
    /// <summary>The regular re-sync period of a live pod (volumes refresh, restarts after back-off).</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(10);

    public Dictionary<string, WaitingReason> Waiting { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset NextSync { get; private set; } = now + ResyncPeriod;

    /// <summary>When the sync began (<see cref="System.Diagnostics.Stopwatch"/> ticks), for the Debug timing of its steps.</summary>
    public long StartedTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Asks for a sync no later than <paramref name="at"/>.</summary>
    public void SyncBy(DateTimeOffset at)
    {
        if (at < NextSync)
        {
            NextSync = at;
        }
    }
}
