namespace K8sSharp.Proxy.Model;

/// <summary>
/// Everything the proxier needs about one service port (upstream's ServicePort plus its endpoints): where it listens
/// (cluster IP, node port, external IPs) and where it sends traffic. <see cref="Protocol"/> is lower case (tcp, udp,
/// sctp) as iptables spells it. <see cref="AffinitySeconds"/> is set only for sessionAffinity ClientIP.
/// </summary>
internal sealed record ProxiedServicePort
{
    public required ServicePortName Name { get; init; }

    public required string ClusterIp { get; init; }

    public required int Port { get; init; }

    public string Protocol => Name.Protocol;

    public int NodePort { get; init; }

    public IReadOnlyList<string> ExternalIps { get; init; } = [];

    /// <summary>status.loadBalancer.ingress IPs with ipMode VIP (or unset): traffic to them is captured like external
    /// IPs. With ipMode Proxy the load balancer delivers to the node itself, so nothing is captured.</summary>
    public IReadOnlyList<string> LoadBalancerIps { get; init; } = [];

    /// <summary>spec.loadBalancerSourceRanges (IPv4, canonical <c>network/prefix</c>): when set, only these sources may
    /// use the load-balancer IPs; node ports and external IPs are not restricted, as upstream.</summary>
    public IReadOnlyList<string> LoadBalancerSourceRanges { get; init; } = [];

    public int? AffinitySeconds { get; init; }

    /// <summary>spec.healthCheckNodePort of a LoadBalancer with externalTrafficPolicy Local (upstream's NeedsHealthCheck);
    /// 0 otherwise. The proxy answers there whether this node has local endpoints, for the load balancer.</summary>
    public int HealthCheckNodePort { get; init; }

    public bool InternalPolicyLocal { get; init; }

    /// <summary>externalTrafficPolicy Local; only meaningful for externally accessible ports.</summary>
    public bool ExternalTrafficLocal { get; init; }

    public IReadOnlyList<ServiceEndpoint> Endpoints { get; init; } = [];

    /// <summary>Reachable from outside the cluster: a node port, an external IP or a load-balancer IP.</summary>
    public bool ExternallyAccessible => NodePort != 0 || ExternalIps.Count > 0 || LoadBalancerIps.Count > 0;

    public bool ExternalPolicyLocal => ExternallyAccessible && ExternalTrafficLocal;

    /// <summary>
    /// Cluster-wide endpoints are needed for internal traffic with policy Cluster and for any externally accessible
    /// port (even with policy Local, pod and host traffic short-circuits to the whole service, as upstream).
    /// </summary>
    public bool UsesClusterEndpoints => !InternalPolicyLocal || ExternallyAccessible;

    public bool UsesLocalEndpoints => InternalPolicyLocal || ExternalPolicyLocal;

    /// <summary>Value equality, lists included (a record's own compares lists by reference): equal ports get equal rules.</summary>
    public bool Equals(ProxiedServicePort? other) =>
        other is not null
        && Name == other.Name
        && ClusterIp == other.ClusterIp
        && Port == other.Port
        && NodePort == other.NodePort
        && AffinitySeconds == other.AffinitySeconds
        && InternalPolicyLocal == other.InternalPolicyLocal
        && ExternalTrafficLocal == other.ExternalTrafficLocal
        && HealthCheckNodePort == other.HealthCheckNodePort
        && ExternalIps.SequenceEqual(other.ExternalIps, StringComparer.Ordinal)
        && LoadBalancerIps.SequenceEqual(other.LoadBalancerIps, StringComparer.Ordinal)
        && LoadBalancerSourceRanges.SequenceEqual(other.LoadBalancerSourceRanges, StringComparer.Ordinal)
        && Endpoints.SequenceEqual(other.Endpoints);

    public override int GetHashCode() => HashCode.Combine(Name, ClusterIp, Port, NodePort, Endpoints.Count);
}
