namespace K8sSharp.Proxy.IpTables;

/// <summary>A rule in a built-in chain that sends packets into one of ours; the only rules we put outside KUBE-* chains.</summary>
internal sealed record JumpRule(string Table, string From, string To, IReadOnlyList<string> Args)
{
    /// <summary>upstream's iptablesJumpChains (plus the localnet firewall the kubelet installs upstream), in upstream's
    /// order: each is inserted at the top in turn, so the last of a built-in chain ends up first.</summary>
    public static readonly IReadOnlyList<JumpRule> All =
    [
        Make("filter", "INPUT", ChainNames.ExternalServices, "kubernetes externally-visible service portals", "-m", "conntrack", "--ctstate", "NEW"),
        Make("filter", "FORWARD", ChainNames.ExternalServices, "kubernetes externally-visible service portals", "-m", "conntrack", "--ctstate", "NEW"),
        Make("filter", "INPUT", ChainNames.NodePorts, "kubernetes health check service ports"),
        Make("filter", "FORWARD", ChainNames.Services, "kubernetes service portals", "-m", "conntrack", "--ctstate", "NEW"),
        Make("filter", "OUTPUT", ChainNames.Services, "kubernetes service portals", "-m", "conntrack", "--ctstate", "NEW"),
        Make("filter", "FORWARD", ChainNames.Forward, "kubernetes forwarding rules"),
        Make("filter", "INPUT", ChainNames.ProxyFirewall, "kubernetes load balancer firewall", "-m", "conntrack", "--ctstate", "NEW"),
        Make("filter", "OUTPUT", ChainNames.ProxyFirewall, "kubernetes load balancer firewall", "-m", "conntrack", "--ctstate", "NEW"),
        Make("filter", "FORWARD", ChainNames.ProxyFirewall, "kubernetes load balancer firewall", "-m", "conntrack", "--ctstate", "NEW"),
        Make("filter", "INPUT", ChainNames.Firewall, "kubernetes localnet firewall"),
        Make("filter", "OUTPUT", ChainNames.Firewall, "kubernetes localnet firewall"),
        Make("nat", "OUTPUT", ChainNames.Services, "kubernetes service portals"),
        Make("nat", "PREROUTING", ChainNames.Services, "kubernetes service portals"),
        Make("nat", "POSTROUTING", ChainNames.Postrouting, "kubernetes postrouting rules"),
    ];

    /// <summary>The rule's match and target, as iptables -C/-I/-D take them (no shell quoting: one argument each).</summary>
    public IReadOnlyList<string> RuleArgs => [.. Args, "-j", To];

    private static JumpRule Make(string table, string from, string to, string comment, params string[] extra) =>
        new(table, from, to, ["-m", "comment", "--comment", comment, .. extra]);
}
