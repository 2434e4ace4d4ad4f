using k8s.Models;

namespace K8sSharp.Kubelet.Pods;

/// <summary>What the pod sync needs to know about its node: name, address, allocatable, DNS settings. HostIp and allocatable are set once at start.</summary>
internal sealed class NodeContext
{
    public required string NodeName { get; init; }

    public required string HostIp { get; init; }

    public required string ClusterDns { get; init; }

    public required string ClusterDomain { get; init; }

    public IDictionary<string, ResourceQuantity> Allocatable { get; init; } = new Dictionary<string, ResourceQuantity>();

    /// <summary>The host's resolver configuration (dnsPolicy Default).</summary>
    public ResolvConf HostResolvConf { get; init; } = new([], [], []);
}
