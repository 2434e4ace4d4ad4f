namespace K8sSharp.Scheduler.Framework;

/// <summary>
/// What one scheduling attempt computes once and its plugins share (upstream's CycleState): PreFilter and PreScore
/// results by plugin name, plus the pod's own <see cref="PodInfo"/> and what the cycle knows about nominated pods.
/// </summary>
internal sealed class CycleState(PodInfo pod, IReadOnlyList<NodeInfo> allNodes, NominatedPods? nominated = null)
{
    private readonly Dictionary<string, object> data = new(StringComparer.Ordinal);

    public PodInfo Pod { get; } = pod;

    /// <summary>Every node of the cache (topology domains are counted over all of them).</summary>
    public IReadOnlyList<NodeInfo> AllNodes { get; } = allNodes;

    public NominatedPods Nominated { get; } = nominated ?? NominatedPods.None;

    public void Write<T>(string key, T value)
        where T : class => data[key] = value;

    public T? Read<T>(string key)
        where T : class => data.TryGetValue(key, out var value) ? (T)value : null;
}

/// <summary>
/// Pods nominated to nodes by an earlier preemption but not yet bound. Their requests are reserved on that node for
/// pods of lower priority, so a preemptor's room is not taken by the next small pod (upstream's
/// RunFilterPluginsWithNominatedPods, limited here to resources).
/// </summary>
internal sealed class NominatedPods
{
    public static readonly NominatedPods None = new([]);

    private readonly Dictionary<string, List<PodInfo>> byNode;

    public NominatedPods(Dictionary<string, List<PodInfo>> byNode)
    {
        this.byNode = byNode;
    }

    /// <summary>The pods nominated to <paramref name="node"/> with lower priority than <paramref name="pod"/>.</summary>
    public IReadOnlyList<PodInfo> LowerPriorityOn(string node, PodInfo pod) =>
        byNode.TryGetValue(node, out var pods) ? [.. pods.Where(p => p.Uid != pod.Uid && p.Priority < pod.Priority)] : [];

    /// <summary>The summed requests of pods nominated to <paramref name="node"/> with priority at least <paramref name="pod"/>'s, other than it.</summary>
    public ResourceSet? ReservedFor(string node, PodInfo pod)
    {
        if (!byNode.TryGetValue(node, out var pods))
        {
            return null;
        }
        ResourceSet? sum = null;
        foreach (var other in pods.Where(p => p.Uid != pod.Uid && p.Priority >= pod.Priority))
        {
            sum ??= new ResourceSet();
            sum.Add(other.Requests);
            sum.AllowedPods++;
        }
        return sum;
    }
}
