using k8s.Models;

namespace K8sSharp.Scheduler.Framework;

/// <summary>
/// A pod with what the plugins need of it computed once (upstream's framework.PodInfo): effective requests, host
/// ports, and its required affinity terms. <see cref="NodeName"/> is the node the scheduler's cache places it on,
/// which for an assumed pod is not yet in its spec. Immutable once built: <see cref="On"/> shares the computed parts.
/// </summary>
internal sealed class PodInfo
{
    public PodInfo(V1Pod pod, string? nodeName = null)
    {
        Pod = pod ?? throw new ArgumentNullException(nameof(pod));
        NodeName = nodeName ?? pod.Spec?.NodeName ?? string.Empty;
        Requests = PodResources.Requests(pod);
        NonZeroRequests = PodResources.NonZeroRequests(pod);
        HostPorts = [.. HostPort.Of(pod)];
        var affinity = pod.Spec?.Affinity;
        RequiredAffinityTerms = affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
        RequiredAntiAffinityTerms = affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
    }

    private PodInfo(PodInfo other, string nodeName)
    {
        Pod = other.Pod;
        NodeName = nodeName;
        Requests = other.Requests;
        NonZeroRequests = other.NonZeroRequests;
        HostPorts = other.HostPorts;
        RequiredAffinityTerms = other.RequiredAffinityTerms;
        RequiredAntiAffinityTerms = other.RequiredAntiAffinityTerms;
    }

    /// <summary>The same pod placed on <paramref name="nodeName"/>, without computing its requests again (assume, nominate).</summary>
    public PodInfo On(string nodeName) => new(this, nodeName);

    public V1Pod Pod { get; }

    public string NodeName { get; }

    public string Uid => UidOf(Pod);

    public string Key => Pod.Metadata.NamespaceProperty + "/" + Pod.Metadata.Name;

    /// <summary>The key the cache files a pod under: its uid, else namespace/name.</summary>
    public static string UidOf(V1Pod pod) => pod.Metadata.Uid ?? pod.Metadata.NamespaceProperty + "/" + pod.Metadata.Name;

    public string Namespace => Pod.Metadata.NamespaceProperty ?? "default";

    public int Priority => Pod.Spec?.Priority ?? 0;

    public bool IsTerminating => Pod.Metadata.DeletionTimestamp is not null;

    public ResourceSet Requests { get; }

    public ResourceSet NonZeroRequests { get; }

    public IReadOnlyList<HostPort> HostPorts { get; }

    public IList<V1PodAffinityTerm> RequiredAffinityTerms { get; }

    public IList<V1PodAffinityTerm> RequiredAntiAffinityTerms { get; }

    public IDictionary<string, string> Labels => Pod.Metadata.Labels ?? new Dictionary<string, string>();
}

/// <summary>A host port a container asks for; 0.0.0.0 (the default) conflicts with every address.</summary>
internal readonly record struct HostPort(string Ip, string Protocol, int Port)
{
    private const string AnyAddress = "0.0.0.0";

    public static IEnumerable<HostPort> Of(V1Pod pod)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        var containers = (spec.Containers ?? []).Concat(spec.InitContainers?.Where(c => c.RestartPolicy == "Always") ?? []);
        foreach (var port in containers.SelectMany(c => c.Ports ?? []))
        {
            if (port.HostPort is > 0 and var number)
            {
                var ip = string.IsNullOrEmpty(port.HostIP) ? AnyAddress : port.HostIP;
                yield return new HostPort(ip, string.IsNullOrEmpty(port.Protocol) ? "TCP" : port.Protocol, number);
            }
        }
    }

    public bool ConflictsWith(HostPort other) =>
        Port == other.Port && Protocol == other.Protocol && (Ip == other.Ip || Ip == AnyAddress || other.Ip == AnyAddress);
}
