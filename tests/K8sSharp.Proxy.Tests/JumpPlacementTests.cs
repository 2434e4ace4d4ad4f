using K8sSharp.Proxy.IpTables;

namespace K8sSharp.Proxy.Tests;

/// <summary>Our jumps stay first in the built-in chains even after other software inserted rules above them.</summary>
public sealed class JumpPlacementTests
{
    private static readonly JumpRule[] Output = [.. JumpRule.All.Where(j => j.Table == "filter" && j.From == "OUTPUT")];

    private const string Services = "-A OUTPUT -m comment --comment \"kubernetes service portals\" -m conntrack --ctstate NEW -j KUBE-SERVICES";
    private const string Firewall = "-A OUTPUT -m comment --comment \"kubernetes localnet firewall\" -j KUBE-FIREWALL";
    private const string ProxyFirewall = "-A OUTPUT -m comment --comment \"kubernetes load balancer firewall\" -m conntrack --ctstate NEW -j KUBE-PROXY-FIREWALL";
    private const string Other = "-A OUTPUT -o k8ss6br0 -m comment --comment \"k8ssharp pods on k8ss6br0\" -j ACCEPT";

    private static string Listing(params string[] rules) => "-P OUTPUT ACCEPT\n" + string.Join('\n', rules) + "\n";

    [Fact]
    public void Jumps_already_first_in_any_order_need_nothing()
    {
        JumpPlacement.Commands(Output, Listing(ProxyFirewall, Services, Firewall, Other)).Should().BeEmpty();
        JumpPlacement.Commands(Output, Listing(Firewall, ProxyFirewall, Services)).Should().BeEmpty();
    }

    [Fact]
    public void Missing_jumps_are_inserted_at_the_top_in_upstream_order()
    {
        JumpPlacement.Commands(Output, Listing(Other)).Should().Equal(
            "-I OUTPUT 1 -m comment --comment \"kubernetes service portals\" -m conntrack --ctstate NEW -j KUBE-SERVICES",
            "-I OUTPUT 1 -m comment --comment \"kubernetes load balancer firewall\" -m conntrack --ctstate NEW -j KUBE-PROXY-FIREWALL",
            "-I OUTPUT 1 -m comment --comment \"kubernetes localnet firewall\" -j KUBE-FIREWALL");
    }

    [Fact]
    public void Jumps_below_someone_elses_rule_are_moved_up_in_one_transaction()
    {
        var commands = JumpPlacement.Commands(Output, Listing(ProxyFirewall, Other, Services, Firewall));
        commands.Where(c => c.StartsWith("-D ", StringComparison.Ordinal)).Should().HaveCount(3, "each existing copy is deleted by its spec, never by number");
        commands.Where(c => c.StartsWith("-I OUTPUT 1 ", StringComparison.Ordinal)).Should().HaveCount(3);
        commands.Should().NotContain(c => c.Contains("k8ss6br0", StringComparison.Ordinal), "other software's rules are left alone");
        JumpPlacement.Input("filter", commands).Should().StartWith("*filter\n-D OUTPUT ").And.EndWith("COMMIT\n");
    }

    [Fact]
    public void A_duplicated_jump_is_reduced_to_one_copy()
    {
        var commands = JumpPlacement.Commands(Output, Listing(ProxyFirewall, Services, Firewall, Services));
        commands.Count(c => c.StartsWith("-D OUTPUT ", StringComparison.Ordinal) && c.EndsWith("-j KUBE-SERVICES", StringComparison.Ordinal)).Should().Be(2);
        commands.Count(c => c.StartsWith("-I OUTPUT 1 ", StringComparison.Ordinal) && c.EndsWith("-j KUBE-SERVICES", StringComparison.Ordinal)).Should().Be(1);
    }
}
