using k8s.Models;

namespace K8sSharp.Proxy.LoadBalancer;

/// <summary>
/// The single-machine load balancer (k3s's ServiceLB idea): a Service of type LoadBalancer without a
/// spec.loadBalancerClass (another implementation's) is "provisioned" on this node, its
/// status.loadBalancer.ingress being the node's InternalIPs with ipMode VIP; the proxier then captures
/// <c>ingress IP:port</c> like an external IP.
/// </summary>
internal static class ServiceLoadBalancer
{
    public const string IpModeVip = "VIP";

    /// <summary>The ingress this node provides for <paramref name="service"/>; null when it is not ours to serve.</summary>
    public static IReadOnlyList<V1LoadBalancerIngress>? Desired(V1Service service, IReadOnlyList<string> nodeIps)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(nodeIps);
        if (service.Spec?.Type != "LoadBalancer" || !string.IsNullOrEmpty(service.Spec.LoadBalancerClass) || nodeIps.Count == 0)
        {
            return null;
        }
        return [.. nodeIps.Select(ip => new V1LoadBalancerIngress { Ip = ip, IpMode = IpModeVip })];
    }

    /// <summary>True when the status differs from <paramref name="desired"/> (IPs and modes, in order).</summary>
    public static bool NeedsUpdate(V1Service service, IReadOnlyList<V1LoadBalancerIngress> desired)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(desired);
        var current = service.Status?.LoadBalancer?.Ingress ?? [];
        return current.Count != desired.Count
            || current.Zip(desired).Any(pair => pair.First.Ip != pair.Second.Ip || pair.First.IpMode != pair.Second.IpMode || !string.IsNullOrEmpty(pair.First.Hostname));
    }

    /// <summary>The node's IPv4 InternalIP addresses, in the Node's order.</summary>
    public static IReadOnlyList<string> NodeIps(V1Node? node) =>
        [.. (node?.Status?.Addresses ?? [])
            .Where(a => a.Type == "InternalIP" && System.Net.IPAddress.TryParse(a.Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            .Select(a => a.Address)];
}
