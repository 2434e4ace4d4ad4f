using k8s.Models;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Cache;

/// <summary>
/// The scheduler's view of the cluster (upstream's internal/cache): nodes with the pods placed on them and their
/// running sums. A pod the scheduler chose a node for is <em>assumed</em> there at once, before the binding is even
/// sent, so the next pods of a burst see its requests; the informer's later update confirms it, a failed binding
/// forgets it. Pods whose node is not known yet are kept and counted once the node appears. All access goes through
/// <see cref="Gate"/>: the scheduling loop holds it for a whole attempt, informer handlers for each change.
/// </summary>
internal sealed class SchedulerCache
{
    private readonly Dictionary<string, NodeInfo> nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> podsByUid = new(StringComparer.Ordinal);
    private readonly HashSet<string> assumed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> nominated = new(StringComparer.Ordinal);
    private NodeInfo[]? nodeList;

    public object Gate { get; } = new();

    public int NodeCount => nodes.Count;

    /// <summary>Every node, in a stable order; the array is rebuilt only when nodes come or go.</summary>
    public IReadOnlyList<NodeInfo> Nodes => nodeList ??= [.. nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal)];

    public NodeInfo? Node(string name) => nodes.GetValueOrDefault(name);

    public void AddOrUpdateNode(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (nodes.TryGetValue(node.Metadata.Name, out var info))
        {
            info.SetNode(node);
            return;
        }
        info = new NodeInfo(node);
        nodes[info.Name] = info;
        nodeList = null;
        foreach (var pod in podsByUid.Values.Where(p => p.NodeName == info.Name))
        {
            info.AddPod(pod);
        }
    }

    public void RemoveNode(string name)
    {
        if (nodes.Remove(name))
        {
            nodeList = null;
        }
    }

    /// <summary>Adds or replaces an assigned pod as the informer reports it; confirms it if it was assumed.</summary>
    public void AddOrUpdatePod(V1Pod pod)
    {
        var info = new PodInfo(pod);
        RemovePod(info.Uid);
        Place(info);
    }

    public void RemovePod(string uid)
    {
        assumed.Remove(uid);
        if (podsByUid.Remove(uid, out var old))
        {
            Node(old.NodeName)?.RemovePod(uid);
        }
    }

    /// <summary>Places the pod on <paramref name="nodeName"/> before the API server knows (the binding is in flight).</summary>
    public PodInfo Assume(PodInfo pod, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var placed = pod.On(nodeName);
        RemovePod(placed.Uid);
        Place(placed);
        assumed.Add(placed.Uid);
        return placed;
    }

    /// <summary>Undoes <see cref="Assume"/> after a failed binding, unless the informer has confirmed the pod meanwhile.</summary>
    public void Forget(string uid)
    {
        if (assumed.Contains(uid))
        {
            RemovePod(uid);
        }
    }

    public bool IsAssumed(string uid) => assumed.Contains(uid);

    /// <summary>True when the pod is placed on a node here, assumed or confirmed.</summary>
    public bool IsPlaced(string uid) => podsByUid.ContainsKey(uid);

    public int AssumedCount => assumed.Count;

    public int PodCount => podsByUid.Count;

    /// <summary>Records a pending pod's status.nominatedNodeName (or its absence).</summary>
    public void SetNominated(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (string.IsNullOrEmpty(pod.Status?.NominatedNodeName))
        {
            nominated.Remove(PodInfo.UidOf(pod));
        }
        else
        {
            var info = new PodInfo(pod, pod.Status.NominatedNodeName);
            nominated[info.Uid] = info;
        }
    }

    public void RemoveNominated(string uid) => nominated.Remove(uid);

    /// <summary>The nominated pods by node, for one scheduling attempt.</summary>
    public NominatedPods NominatedSnapshot() =>
        nominated.Count == 0 ? NominatedPods.None : new NominatedPods(nominated.Values.GroupBy(p => p.NodeName).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal));

    public IEnumerable<PodInfo> NominatedTo(string node) => nominated.Values.Where(p => p.NodeName == node);

    private void Place(PodInfo info)
    {
        podsByUid[info.Uid] = info;
        Node(info.NodeName)?.AddPod(info);
    }
}
