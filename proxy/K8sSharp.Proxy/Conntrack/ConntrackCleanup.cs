using System.Globalization;
using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.Conntrack;

/// <summary>
/// One <c>conntrack -D -p udp …</c>: the entries whose original destination is <see cref="OriginalDestination"/>
/// and/or whose original destination port is <see cref="Port"/>, and (when set) that were DNATed to
/// <see cref="NatDestination"/>.
/// </summary>
internal sealed record ConntrackDeletion(string? OriginalDestination, int? Port, string? NatDestination)
{
    public IReadOnlyList<string> Arguments()
    {
        List<string> args = ["-D", "-p", "udp"];
        if (OriginalDestination is not null)
        {
            args.AddRange(["--orig-dst", OriginalDestination]);
        }
        if (Port is { } port)
        {
            args.AddRange(["--dport", port.ToString(CultureInfo.InvariantCulture)]);
        }
        if (NatDestination is not null)
        {
            args.AddRange(["--dst-nat", NatDestination]);
        }
        return args;
    }
}

/// <summary>
/// Which UDP conntrack entries a sync made stale, as upstream's pkg/proxy/conntrack CleanStaleEntries decides. UDP has
/// no connection end, so an entry keeps sending a client's packets where the rules sent them first:
/// <list type="bullet">
/// <item>an endpoint the rules no longer DNAT to (gone, or not ready): delete the entries NATed to it, for the cluster
/// IP, every external and load-balancer IP, and the node port;</item>
/// <item>a service port that gets its first usable endpoint: delete every entry towards its cluster IP, external and
/// load-balancer IPs and node port (a client that asked while it was rejected would otherwise stay rejected, e.g. DNS
/// queries to 10.96.0.10 sent before kube-dns had endpoints);</item>
/// <item>a UDP service that is gone: delete every entry towards its cluster IP.</item>
/// </list>
/// </summary>
internal static class ConntrackCleanup
{
    public static IReadOnlyList<ConntrackDeletion> Decide(IReadOnlyList<ProxiedServicePort> previous, IReadOnlyList<ProxiedServicePort> current, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var now = current.Where(IsUdp).ToDictionary(p => p.Name);
        var deletions = new List<ConntrackDeletion>();
        foreach (var before in previous.Where(IsUdp))
        {
            var usedBefore = UsedEndpoints(before, nodeName);
            if (!now.TryGetValue(before.Name, out var after))
            {
                deletions.Add(new ConntrackDeletion(before.ClusterIp, null, null));
                continue;
            }
            var usedAfter = UsedEndpoints(after, nodeName).Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in usedBefore.Where(e => !usedAfter.Contains(e.ToString())))
            {
                deletions.AddRange(TowardsEndpoint(before, gone.Ip));
            }
        }
        var previousNames = previous.Where(IsUdp).ToDictionary(p => p.Name);
        foreach (var after in now.Values)
        {
            var hadEndpoints = previousNames.TryGetValue(after.Name, out var before) && UsedEndpoints(before, nodeName).Count > 0;
            if (!hadEndpoints && UsedEndpoints(after, nodeName).Count > 0)
            {
                deletions.AddRange(TowardsService(after));
            }
        }
        return [.. deletions.Distinct()];
    }

    private static bool IsUdp(ProxiedServicePort port) => port.Protocol == "udp";

    /// <summary>The endpoints some rule DNATs to.</summary>
    private static IReadOnlyList<ServiceEndpoint> UsedEndpoints(ProxiedServicePort port, string nodeName) =>
        EndpointSelection.For(port, nodeName).AllReachable;

    private static IEnumerable<ConntrackDeletion> TowardsEndpoint(ProxiedServicePort port, string endpointIp)
    {
        foreach (var ip in FrontendIps(port))
        {
            yield return new ConntrackDeletion(ip, null, endpointIp);
        }
        if (port.NodePort != 0)
        {
            yield return new ConntrackDeletion(null, port.NodePort, endpointIp);
        }
    }

    private static IEnumerable<ConntrackDeletion> TowardsService(ProxiedServicePort port)
    {
        foreach (var ip in FrontendIps(port))
        {
            yield return new ConntrackDeletion(ip, null, null);
        }
        if (port.NodePort != 0)
        {
            yield return new ConntrackDeletion(null, port.NodePort, null);
        }
    }

    private static IEnumerable<string> FrontendIps(ProxiedServicePort port) =>
        [port.ClusterIp, .. port.ExternalIps, .. port.LoadBalancerIps];
}
