using k8s.Models;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// Filter: the pod's effective requests must fit in allocatable minus what the node's pods (and pods nominated there
/// with at least this priority) request, for every resource the pod asks for, and the pod count must stay within
/// allocatable pods. Score (weight 1, the LeastAllocated strategy): the free share of cpu and memory after placing the
/// pod, with missing requests counted as 100m / 200Mi.
/// </summary>
internal sealed class NodeResourcesFit : IFilterPlugin, IScorePlugin
{
    public const string TooManyPods = "Too many pods";

    /// <summary>The resources LeastAllocated weighs, equally.</summary>
    private static readonly string[] ScoredResources = [ResourceSet.CpuName, ResourceSet.MemoryName];

    public string Name => "NodeResourcesFit";

    public int Weight => 1;

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        var reserved = state.Nominated.ReservedFor(node.Name, state.Pod);
        if (reserved is null && FitsQuickly(state.Pod.Requests, node))
        {
            return Status.Success;
        }
        var reasons = InsufficientResources(state.Pod.Requests, node, reserved);
        return reasons.Count == 0 ? Status.Success : new Status(StatusCode.Unschedulable, reasons, Name);
    }

    /// <summary>The common case without allocations: room for one more pod and for cpu, memory and ephemeral storage, no scalars.</summary>
    private static bool FitsQuickly(ResourceSet request, NodeInfo node) =>
        request.Scalars.Count == 0
        && node.PodCount + 1 <= node.Allocatable.AllowedPods
        && request.MilliCpu <= node.Allocatable.MilliCpu - node.Requested.MilliCpu
        && request.Memory <= node.Allocatable.Memory - node.Requested.Memory
        && request.EphemeralStorage <= node.Allocatable.EphemeralStorage - node.Requested.EphemeralStorage;

    /// <summary>Upstream's fitsRequest: one reason per resource that does not fit ("Insufficient cpu", "Too many pods").</summary>
    public static List<string> InsufficientResources(ResourceSet request, NodeInfo node, ResourceSet? reserved = null)
    {
        var reasons = new List<string>();
        var used = node.Requested;
        if (reserved is not null)
        {
            used = used.Clone();
            used.Add(reserved);
        }
        if (node.PodCount + (reserved?.AllowedPods ?? 0) + 1 > node.Allocatable.AllowedPods)
        {
            reasons.Add(TooManyPods);
        }
        foreach (var name in request.Names())
        {
            var wanted = request.Get(name);
            if (name != ResourceSet.PodsName && wanted > 0 && wanted > node.Allocatable.Get(name) - used.Get(name))
            {
                reasons.Add("Insufficient " + name);
            }
        }
        return reasons;
    }

    public long Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        long total = 0;
        var weights = 0;
        foreach (var name in ScoredResources)
        {
            var allocatable = node.Allocatable.Get(name);
            if (allocatable == 0)
            {
                continue;
            }
            var requested = node.NonZeroRequested.Get(name) + state.Pod.NonZeroRequests.Get(name);
            total += requested > allocatable ? 0 : (allocatable - requested) * Scores.MaxNodeScore / allocatable;
            weights++;
        }
        return weights == 0 ? 0 : total / weights;
    }
}

/// <summary>
/// Score (weight 1): prefers nodes whose cpu and memory would be used in equal shares after placing the pod
/// (1 − the standard deviation of the requested/allocatable fractions). Pods without cpu or memory requests skip it.
/// </summary>
internal sealed class BalancedAllocation : IScorePlugin
{
    private const string SkipKey = "BalancedAllocation/skip";

    public string Name => "NodeResourcesBalancedAllocation";

    public int Weight => 1;

    public void PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> feasible)
    {
        if (state.Pod.Requests.MilliCpu == 0 && state.Pod.Requests.Memory == 0)
        {
            state.Write(SkipKey, SkipKey);
        }
    }

    public long Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (state.Read<string>(SkipKey) is not null)
        {
            return 0;
        }
        var cpu = Fraction(node.Requested.MilliCpu + state.Pod.Requests.MilliCpu, node.Allocatable.MilliCpu);
        var memory = Fraction(node.Requested.Memory + state.Pod.Requests.Memory, node.Allocatable.Memory);
        var std = cpu is { } c && memory is { } m ? Math.Abs((c - m) / 2) : 0;
        return (long)((1 - std) * Scores.MaxNodeScore);
    }

    /// <summary>requested / allocatable capped at 1; null (not counted) when the node has none of the resource.</summary>
    private static double? Fraction(long requested, long allocatable) => allocatable == 0 ? null : Math.Min(1.0, (double)requested / allocatable);
}

/// <summary>
/// Score (weight 1): prefers nodes that already hold the pod's images, by size scaled by how many nodes have them
/// (so an image everywhere does not dominate), clamped between 23 MiB and 1000 MiB per container.
/// </summary>
internal sealed class ImageLocality : IScorePlugin
{
    private const long Mb = 1024 * 1024;
    private const long MinThreshold = 23 * Mb;
    private const long MaxContainerThreshold = 1000 * Mb;
    private const string SpreadKey = "ImageLocality/nodesWithImage";

    public string Name => "ImageLocality";

    public int Weight => 1;

    public void PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> feasible)
    {
        // Distinct images: upstream sums per container, which only differs for a pod repeating one image.
        var counts = Images(pod).Distinct().ToDictionary(i => i, i => state.AllNodes.Count(n => n.Images.ContainsKey(i)), StringComparer.Ordinal);
        state.Write(SpreadKey, counts);
    }

    public long Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        var counts = state.Read<Dictionary<string, int>>(SpreadKey) ?? [];
        var total = Math.Max(1, state.AllNodes.Count);
        long sum = 0;
        foreach (var image in counts.Keys)
        {
            if (node.Images.TryGetValue(image, out var size))
            {
                sum += (long)(size * ((double)counts.GetValueOrDefault(image) / total));
            }
        }
        var containers = (pod.Spec?.InitContainers?.Count ?? 0) + (pod.Spec?.Containers?.Count ?? 0);
        var maxThreshold = MaxContainerThreshold * Math.Max(1, containers);
        sum = Math.Clamp(sum, MinThreshold, maxThreshold);
        return Scores.MaxNodeScore * (sum - MinThreshold) / (maxThreshold - MinThreshold);
    }

    private static IEnumerable<string> Images(V1Pod pod) =>
        (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? [])
            .Where(c => !string.IsNullOrEmpty(c.Image)).Select(c => ImageNames.Normalize(c.Image));
}
