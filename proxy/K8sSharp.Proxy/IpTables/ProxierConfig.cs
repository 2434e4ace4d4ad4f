namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// What the rules depend on besides the services: this node's name (for traffic policy Local), the pod CIDR (traffic
/// from outside it to a cluster IP is masqueraded) and the service CIDR (unallocated service IPs are rejected so that
/// no such packet leaves the machine). <see cref="FullSyncPeriod"/> is --sync-period: how often a sync is a full one.
/// </summary>
internal sealed record ProxierConfig(string NodeName, string ClusterCidr, string ServiceCidr)
{
    public TimeSpan FullSyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>This node's primary IP: a load balancer whose source ranges include it also admits traffic the node sends
    /// to the load-balancer IP itself (whose source is then that IP). Null: unknown, no such exception.</summary>
    public System.Net.IPAddress? NodeIp { get; init; }
}
