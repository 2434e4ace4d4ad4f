using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.IpTables.RestoreTable;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// Generates the whole ruleset of one sync, as upstream's iptables proxier does in syncProxyRules (full syncs only):
/// the fixed chains (masquerade marking, forwarding, the localnet firewall), then for each service port the
/// KUBE-SERVICES / KUBE-NODEPORTS entry points, the KUBE-EXT / KUBE-SVC / KUBE-SVL chains and one KUBE-SEP chain per
/// endpoint; ports without usable endpoints get a REJECT (or DROP, for "no local endpoints") in the filter table instead.
/// Chains of ours that exist in the kernel but are no longer written are deleted in the same transaction.
/// </summary>
internal static partial class RuleSetWriter
{
    /// <summary>The packet mark that KUBE-POSTROUTING masquerades (upstream's default --masquerade-bit 14).</summary>
    public const string MasqueradeMark = "0x4000";

    /// <summary>The ruleset for <paramref name="ports"/>; with a <paramref name="cache"/> (one per proxier: the rules depend
    /// on its configuration), ports unchanged since the previous call are written from their previous rules.</summary>
    public static RuleSet Write(
        ProxierConfig config, IReadOnlyList<ProxiedServicePort> ports, IEnumerable<string> existingNatChains, PortRulesCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(existingNatChains);
        var filter = new RestoreTable("filter");
        var nat = new RestoreTable("nat");
        WriteFixedFilterChains(filter);
        WriteFixedNatChains(nat);
        foreach (var port in ports)
        {
            if (cache?.TryReplay(port, filter, nat) == true)
            {
                continue;
            }
            var (filterMark, natMark) = (filter.Mark, nat.Mark);
            WriteServicePort(filter, nat, config, port);
            cache?.Remember(port, filter.Since(filterMark), nat.Since(natMark));
        }
        cache?.Completed();
        filter.Rule(ChainNames.Services, Comment("reject traffic to unallocated service IPs"), "-d", config.ServiceCidr, "-j", "REJECT");
        nat.Rule(ChainNames.Services, Comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
            "-m addrtype --dst-type LOCAL", "-j", ChainNames.NodePorts);
        foreach (var stale in existingNatChains.Where(IsServiceChain).Where(c => !nat.DeclaredChains.Contains(c)).Order(StringComparer.Ordinal))
        {
            nat.Delete(stale);
        }
        return new RuleSet(filter, nat);
    }

    public static bool IsServiceChain(string chain) =>
        ChainNames.ServiceChainPrefixes.Any(prefix => chain.StartsWith(prefix, StringComparison.Ordinal));

    private static void WriteFixedFilterChains(RestoreTable filter)
    {
        filter.Chain(ChainNames.NodePorts);
        filter.Chain(ChainNames.Services);
        filter.Chain(ChainNames.ExternalServices);
        filter.Chain(ChainNames.Firewall);
        filter.Chain(ChainNames.Forward);
        filter.Chain(ChainNames.ProxyFirewall);
        // route_localnet makes 127.0.0.1 routable; only the node itself may use it (upstream's kubelet firewall rule).
        filter.Rule(ChainNames.Firewall, Comment("block incoming localnet connections"), "-d 127.0.0.0/8 ! -s 127.0.0.0/8",
            "-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT", "-j DROP");
        filter.Rule(ChainNames.Forward, "-m conntrack --ctstate INVALID", "-j DROP");
        filter.Rule(ChainNames.Forward, Comment("kubernetes forwarding rules"), $"-m mark --mark {MasqueradeMark}/{MasqueradeMark}", "-j ACCEPT");
        filter.Rule(ChainNames.Forward, Comment("kubernetes forwarding conntrack rule"), "-m conntrack --ctstate RELATED,ESTABLISHED", "-j ACCEPT");
    }

    private static void WriteFixedNatChains(RestoreTable nat)
    {
        nat.Chain(ChainNames.NodePorts);
        nat.Chain(ChainNames.Services);
        nat.Chain(ChainNames.MarkMasq);
        nat.Chain(ChainNames.Postrouting);
        nat.Rule(ChainNames.Postrouting, $"-m mark ! --mark {MasqueradeMark}/{MasqueradeMark}", "-j RETURN");
        // Clear the mark so a packet re-traversing the stack (e.g. tunnels) is not masqueraded twice.
        nat.Rule(ChainNames.Postrouting, "-j MARK --xor-mark", MasqueradeMark);
        nat.Rule(ChainNames.Postrouting, Comment("kubernetes service traffic requiring SNAT"), "-j MASQUERADE --random-fully");
        nat.Rule(ChainNames.MarkMasq, "-j MARK --or-mark", MasqueradeMark);
    }
}
