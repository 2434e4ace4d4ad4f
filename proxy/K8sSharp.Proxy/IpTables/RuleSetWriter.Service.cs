using System.Globalization;
using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.IpTables.RestoreTable;

namespace K8sSharp.Proxy.IpTables;

internal static partial class RuleSetWriter
{
    /// <summary>The chains of one service port and what each traffic kind (internal, external) jumps to.</summary>
    private sealed record PortPlan(ProxiedServicePort Port, EndpointSelection Endpoints)
    {
        public string Label { get; } = Port.Name.ToString();

        public string ClusterChain { get; } = ChainNames.ServicePort(Port.Name);

        public string LocalChain { get; } = ChainNames.LocalPolicy(Port.Name);

        public bool HasEndpoints => Endpoints.Cluster.Count > 0 || Endpoints.Local.Count > 0;

        public string InternalChain => Port.InternalPolicyLocal ? LocalChain : ClusterChain;

        public bool HasInternalEndpoints => Port.InternalPolicyLocal ? Endpoints.Local.Count > 0 : Endpoints.Cluster.Count > 0;

        public string ExternalPolicyChain => Port.ExternalPolicyLocal ? LocalChain : ClusterChain;

        public bool HasExternalEndpoints => Port.ExternalPolicyLocal ? Endpoints.Local.Count > 0 : Endpoints.Cluster.Count > 0;

        public bool UsesExternalChain => HasEndpoints && Port.ExternallyAccessible;

        public string ExternalChain => UsesExternalChain ? ChainNames.External(Port.Name) : ClusterChain;

        /// <summary>loadBalancerSourceRanges in use: load-balancer traffic passes KUBE-FW, which lets the allowed sources on
        /// to KUBE-EXT; whatever it does not DNAT is dropped by KUBE-PROXY-FIREWALL in the filter table.</summary>
        public bool UsesFirewallChain => HasEndpoints && Port.LoadBalancerIps.Count > 0 && Port.LoadBalancerSourceRanges.Count > 0;

        public string FirewallChain { get; } = ChainNames.LoadBalancerFirewall(Port.Name);

        public string LoadBalancerChain => UsesFirewallChain ? FirewallChain : ExternalChain;

        /// <summary>"-m tcp -p tcp": the protocol match every port rule carries.</summary>
        public string Match => $"-m {Port.Protocol} -p {Port.Protocol}";

        /// <summary>No endpoints at all: REJECT, so clients fail fast; endpoints elsewhere only: DROP, as upstream.</summary>
        public (string Target, string Comment) Refusal(bool hasPolicyEndpoints) =>
            !HasEndpoints ? ("REJECT", Label + " has no endpoints")
            : !hasPolicyEndpoints ? ("DROP", Label + " has no local endpoints")
            : (string.Empty, string.Empty);
    }

    private static void WriteServicePort(RestoreTable filter, RestoreTable nat, ProxierConfig config, ProxiedServicePort port)
    {
        var plan = new PortPlan(port, EndpointSelection.For(port, config.NodeName));
        WriteClusterIpCapture(filter, nat, plan);
        WriteExternalIpCaptures(filter, nat, plan);
        WriteNodePortCapture(filter, nat, plan);
        if (port.HealthCheckNodePort != 0)
        {
            // Whether or not this node has local endpoints: the load balancer must be able to ask.
            filter.Rule(ChainNames.NodePorts, Comment(plan.Label + " health check node port"), "-m tcp -p tcp", "--dport",
                Number(port.HealthCheckNodePort), "-j ACCEPT");
        }
        if (plan.HasInternalEndpoints)
        {
            // Off-cluster clients (the node itself, other hosts) must see replies come back through us.
            nat.Rule(plan.InternalChain, Comment(plan.Label + " cluster IP"), plan.Match, "-d", port.ClusterIp,
                "--dport", Number(port.Port), "! -s", config.ClusterCidr, "-j", ChainNames.MarkMasq);
        }
        if (plan.UsesExternalChain)
        {
            WriteExternalChain(nat, config, plan);
        }
        if (plan.UsesFirewallChain)
        {
            WriteFirewallChain(nat, config, plan);
        }
        if (plan.Endpoints.Cluster.Count > 0)
        {
            nat.Chain(plan.ClusterChain);
            WriteLoadBalancing(nat, plan, plan.ClusterChain, plan.Endpoints.Cluster);
        }
        if (plan.Endpoints.Local.Count > 0)
        {
            nat.Chain(plan.LocalChain);
            WriteLoadBalancing(nat, plan, plan.LocalChain, plan.Endpoints.Local);
        }
        foreach (var endpoint in plan.Endpoints.AllReachable)
        {
            WriteEndpointChain(nat, plan, endpoint);
        }
    }

    private static void WriteClusterIpCapture(RestoreTable filter, RestoreTable nat, PortPlan plan)
    {
        var destination = $"-d {plan.Port.ClusterIp} --dport {Number(plan.Port.Port)}";
        if (plan.HasInternalEndpoints)
        {
            nat.Rule(ChainNames.Services, Comment(plan.Label + " cluster IP"), plan.Match, destination, "-j", plan.InternalChain);
            return;
        }
        var (target, comment) = plan.Refusal(plan.HasInternalEndpoints);
        filter.Rule(ChainNames.Services, Comment(comment), plan.Match, destination, "-j", target);
    }

    /// <summary>External IPs and load-balancer ingress IPs (ipMode VIP) go through KUBE-EXT, as upstream.</summary>
    private static void WriteExternalIpCaptures(RestoreTable filter, RestoreTable nat, PortPlan plan)
    {
        var frontends = plan.Port.ExternalIps.Select(ip => (ip, "external IP", plan.ExternalChain))
            .Concat(plan.Port.LoadBalancerIps.Select(ip => (ip, "loadbalancer IP", plan.LoadBalancerChain)));
        foreach (var (ip, kind, chain) in frontends)
        {
            var destination = $"-d {ip} --dport {Number(plan.Port.Port)}";
            if (plan.HasEndpoints)
            {
                nat.Rule(ChainNames.Services, Comment(plan.Label + " " + kind), plan.Match, destination, "-j", chain);
            }
            if (chain == plan.FirewallChain)
            {
                filter.Rule(ChainNames.ProxyFirewall, Comment($"{plan.Label} traffic not accepted by {plan.FirewallChain}"), plan.Match,
                    destination, "-j DROP");
            }
            if (!plan.HasExternalEndpoints)
            {
                var (target, comment) = plan.Refusal(plan.HasExternalEndpoints);
                filter.Rule(ChainNames.ExternalServices, Comment(comment), plan.Match, destination, "-j", target);
            }
        }
    }

    private static void WriteNodePortCapture(RestoreTable filter, RestoreTable nat, PortPlan plan)
    {
        if (plan.Port.NodePort == 0)
        {
            return;
        }
        if (plan.HasEndpoints)
        {
            nat.Rule(ChainNames.NodePorts, Comment(plan.Label), plan.Match, "--dport", Number(plan.Port.NodePort), "-j", plan.ExternalChain);
        }
        if (!plan.HasExternalEndpoints)
        {
            var (target, comment) = plan.Refusal(plan.HasExternalEndpoints);
            filter.Rule(ChainNames.ExternalServices, Comment(comment), "-m addrtype --dst-type LOCAL", plan.Match,
                "--dport", Number(plan.Port.NodePort), "-j", target);
        }
    }

    /// <summary>
    /// KUBE-EXT: with policy Cluster everything is masqueraded (the endpoint may be on another node, and node-port
    /// traffic to 127.0.0.1 needs a routable source). With policy Local the client's source is kept, except for pods and
    /// the node itself, which short-circuit to the whole service as if they had gone out and back in.
    /// </summary>
    private static void WriteExternalChain(RestoreTable nat, ProxierConfig config, PortPlan plan)
    {
        var chain = plan.ExternalChain;
        nat.Chain(chain);
        if (!plan.Port.ExternalPolicyLocal)
        {
            nat.Rule(chain, Comment($"masquerade traffic for {plan.Label} external destinations"), "-j", ChainNames.MarkMasq);
        }
        else
        {
            nat.Rule(chain, Comment($"pod traffic for {plan.Label} external destinations"), "-s", config.ClusterCidr, "-j", plan.ClusterChain);
            nat.Rule(chain, Comment($"masquerade LOCAL traffic for {plan.Label} external destinations"), "-m addrtype --src-type LOCAL", "-j", ChainNames.MarkMasq);
            nat.Rule(chain, Comment($"route LOCAL traffic for {plan.Label} external destinations"), "-m addrtype --src-type LOCAL", "-j", plan.ClusterChain);
        }
        if (plan.HasExternalEndpoints)
        {
            nat.Rule(chain, "-j", plan.ExternalPolicyChain);
        }
    }

    /// <summary>
    /// KUBE-FW: each source range goes on to KUBE-EXT. When a range holds the node's IP, so do the load-balancer IPs as
    /// sources: the node reaching a load-balancer IP that is one of its own addresses uses that address as the source.
    /// The rest falls off the end undone and meets its DROP in KUBE-PROXY-FIREWALL.
    /// </summary>
    private static void WriteFirewallChain(RestoreTable nat, ProxierConfig config, PortPlan plan)
    {
        var chain = plan.FirewallChain;
        var comment = Comment(plan.Label + " loadbalancer IP");
        nat.Chain(chain);
        foreach (var range in plan.Port.LoadBalancerSourceRanges)
        {
            nat.Rule(chain, comment, "-s", range, "-j", plan.ExternalChain);
        }
        if (config.NodeIp is { } nodeIp && plan.Port.LoadBalancerSourceRanges.Any(range => SourceRanges.Contains(range, nodeIp)))
        {
            foreach (var ip in plan.Port.LoadBalancerIps)
            {
                nat.Rule(chain, comment, "-s", ip, "-j", plan.ExternalChain);
            }
        }
        nat.Rule(chain, Comment($"other traffic to {plan.Label} will be dropped by {ChainNames.ProxyFirewall}"));
    }

    /// <summary>
    /// Affinity first (a client seen within the timeout goes back to its endpoint), then a random pick: rule i of n
    /// matches with probability 1/(n-i), which makes every endpoint equally likely; the last rule always matches.
    /// </summary>
    private static void WriteLoadBalancing(RestoreTable nat, PortPlan plan, string chain, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        if (plan.Port.AffinitySeconds is { } seconds)
        {
            foreach (var endpoint in endpoints)
            {
                var target = ChainNames.Endpoint(plan.Port.Name, endpoint);
                nat.Rule(chain, Comment($"{plan.Label} -> {endpoint}"), "-m recent --name", target,
                    "--rcheck --seconds", Number(seconds), "--reap", "-j", target);
            }
        }
        for (var i = 0; i < endpoints.Count; i++)
        {
            var target = ChainNames.Endpoint(plan.Port.Name, endpoints[i]);
            var comment = Comment($"{plan.Label} -> {endpoints[i]}");
            if (i < endpoints.Count - 1)
            {
                nat.Rule(chain, comment, "-m statistic --mode random --probability", Probability(endpoints.Count - i), "-j", target);
            }
            else
            {
                nat.Rule(chain, comment, "-j", target);
            }
        }
    }

    /// <summary>KUBE-SEP: masquerade hairpin traffic (the endpoint reaching itself through the service), then DNAT.</summary>
    private static void WriteEndpointChain(RestoreTable nat, PortPlan plan, ServiceEndpoint endpoint)
    {
        var chain = ChainNames.Endpoint(plan.Port.Name, endpoint);
        nat.Chain(chain);
        nat.Rule(chain, Comment(plan.Label), "-s", endpoint.Ip, "-j", ChainNames.MarkMasq);
        var affinity = plan.Port.AffinitySeconds is null ? string.Empty : $"-m recent --name {chain} --set ";
        nat.Rule(chain, Comment(plan.Label), affinity + plan.Match, "-j DNAT --to-destination", endpoint.ToString());
    }

    /// <summary>1/n with ten decimals, as upstream prints it.</summary>
    public static string Probability(int n) => (1.0 / n).ToString("0.0000000000", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
