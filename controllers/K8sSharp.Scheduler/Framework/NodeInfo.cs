using k8s.Models;

namespace K8sSharp.Scheduler.Framework;

/// <summary>
/// A node and the pods the scheduler places on it (upstream's framework.NodeInfo), with the sums the filters and
/// scores read kept up to date on every add and remove, so no plugin has to walk the pods to know what is used.
/// Not thread-safe: the <c>SchedulerCache</c> guards it.
/// </summary>
internal sealed class NodeInfo
{
    private readonly Dictionary<string, PodInfo> pods = new(StringComparer.Ordinal);

    public NodeInfo(V1Node node)
    {
        SetNode(node);
    }

    public V1Node Node { get; private set; } = null!;

    public string Name => Node.Metadata.Name;

    public IDictionary<string, string> Labels => Node.Metadata.Labels ?? new Dictionary<string, string>();

    /// <summary>status.allocatable, with the pod count as <see cref="ResourceSet.AllowedPods"/>.</summary>
    public ResourceSet Allocatable { get; private set; } = new();

    /// <summary>The sum of the effective requests of the pods here.</summary>
    public ResourceSet Requested { get; } = new();

    /// <summary>The same with missing cpu/memory requests counted as the defaults (for scoring).</summary>
    public ResourceSet NonZeroRequested { get; } = new();

    public IReadOnlyCollection<PodInfo> Pods => pods.Values;

    public int PodCount => pods.Count;

    /// <summary>Pods here with required pod anti-affinity (InterPodAffinity checks them against every incoming pod).</summary>
    public List<PodInfo> PodsWithRequiredAntiAffinity { get; } = [];

    /// <summary>Image name (normalized) → size in bytes, from status.images.</summary>
    public Dictionary<string, long> Images { get; } = new(StringComparer.Ordinal);

    public void SetNode(V1Node node)
    {
        Node = node ?? throw new ArgumentNullException(nameof(node));
        Allocatable = ResourceSet.From(node.Status?.Allocatable);
        Images.Clear();
        foreach (var image in node.Status?.Images ?? [])
        {
            foreach (var name in image.Names ?? [])
            {
                Images[ImageNames.Normalize(name)] = image.SizeBytes ?? 0;
            }
        }
    }

    public bool HasPod(string uid) => pods.ContainsKey(uid);

    public void AddPod(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        RemovePod(pod.Uid);
        pods[pod.Uid] = pod;
        Requested.Add(pod.Requests);
        NonZeroRequested.Add(pod.NonZeroRequests);
        if (pod.RequiredAntiAffinityTerms.Count > 0)
        {
            PodsWithRequiredAntiAffinity.Add(pod);
        }
    }

    public bool RemovePod(string uid)
    {
        if (!pods.Remove(uid, out var pod))
        {
            return false;
        }
        Requested.Subtract(pod.Requests);
        NonZeroRequested.Subtract(pod.NonZeroRequests);
        if (pod.RequiredAntiAffinityTerms.Count > 0)
        {
            PodsWithRequiredAntiAffinity.Remove(pod);
        }
        return true;
    }

    /// <summary>A copy with the same node and pods, for preemption's what-if (removing victims must not touch the cache).</summary>
    public NodeInfo Clone()
    {
        var copy = new NodeInfo(Node);
        foreach (var pod in pods.Values)
        {
            copy.AddPod(pod);
        }
        return copy;
    }
}

/// <summary>Image names as ImageLocality compares them: a name without tag or digest means :latest.</summary>
internal static class ImageNames
{
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lastSlash = name.LastIndexOf('/');
        var tail = lastSlash < 0 ? name : name[(lastSlash + 1)..];
        return tail.Contains(':', StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal) ? name : name + ":latest";
    }
}
