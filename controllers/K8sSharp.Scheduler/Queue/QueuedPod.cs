using k8s.Models;

namespace K8sSharp.Scheduler.Queue;

/// <summary>
/// A pending pod in the scheduling queue with its bookkeeping (upstream's QueuedPodInfo): when it (re)entered the
/// queue, how many attempts it had (the backoff doubles with each), and which plugins rejected it last time (only
/// events those plugins care about bring it back early).
/// </summary>
internal sealed class QueuedPod
{
    private static long sequence;

    public QueuedPod(V1Pod pod, DateTimeOffset now)
    {
        Pod = pod;
        Timestamp = now;
        InitialAttempt = now;
        Sequence = Interlocked.Increment(ref sequence);
    }

    public V1Pod Pod { get; set; }

    public string Key => Pod.Metadata.NamespaceProperty + "/" + Pod.Metadata.Name;

    public int Priority => Pod.Spec?.Priority ?? 0;

    /// <summary>When the pod was added or last moved into a queue (orders equal priorities; starts the backoff).</summary>
    public DateTimeOffset Timestamp { get; set; }

    public DateTimeOffset InitialAttempt { get; }

    public int Attempts { get; set; }

    /// <summary>Tie-breaker so the sorted sets never treat two pods as equal.</summary>
    public long Sequence { get; set; }

    public IReadOnlySet<string> UnschedulablePlugins { get; set; } = new HashSet<string>();

    /// <summary>Backoff 1 s doubling per attempt, capped at 10 s (upstream's podInitialBackoff/podMaxBackoff defaults).</summary>
    public DateTimeOffset BackoffExpiry(TimeSpan initial, TimeSpan max)
    {
        var duration = initial;
        for (var i = 1; i < Attempts && duration < max; i++)
        {
            duration *= 2;
        }
        return Timestamp + (duration > max ? max : duration);
    }

    public void Renumber() => Sequence = Interlocked.Increment(ref sequence);
}

/// <summary>activeQ order: higher priority first, then earlier timestamp (upstream's PrioritySort).</summary>
internal sealed class ActiveOrder : IComparer<QueuedPod>
{
    public static readonly ActiveOrder Instance = new();

    public int Compare(QueuedPod? x, QueuedPod? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }
        var byTime = x.Timestamp.CompareTo(y.Timestamp);
        return byTime != 0 ? byTime : x.Sequence.CompareTo(y.Sequence);
    }
}

/// <summary>The cluster changes that can make a rejected pod schedulable, and which plugins' rejections each can undo.</summary>
internal enum ClusterEvent
{
    NodeAdd,
    NodeUpdate,
    AssignedPodAdd,
    AssignedPodDelete,
    StorageChange,
}

internal static class ClusterEvents
{
    private static readonly string[] Any = [];

    /// <summary>The plugins whose rejections the event may resolve; empty means every plugin (a rejection by anything).</summary>
    public static IReadOnlyCollection<string> Interested(ClusterEvent e) => e switch
    {
        ClusterEvent.NodeAdd or ClusterEvent.NodeUpdate => Any,
        ClusterEvent.AssignedPodAdd => ["InterPodAffinity", "PodTopologySpread"],
        ClusterEvent.AssignedPodDelete => ["NodeResourcesFit", "NodePorts", "InterPodAffinity", "PodTopologySpread", "DefaultPreemption"],
        ClusterEvent.StorageChange => ["VolumeBinding"],
        _ => Any,
    };
}
