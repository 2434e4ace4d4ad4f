using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>Unchanged ports are written from their previous rules, with the very same output as generating them.</summary>
public sealed class PortRulesCacheTests
{
    private static readonly ProxierConfig Config = new(Node, "10.244.0.0/16", "10.96.0.0/12");

    private static ProxiedServicePort[] Ports(string secondEndpoint) =>
    [
        Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1"), Ready(secondEndpoint)) with { NodePort = 30001, AffinitySeconds = 60 },
        Port("ns2", "svc2", "10.96.0.42", Ready("10.244.1.3")) with { LoadBalancerIps = ["192.168.1.10"], LoadBalancerSourceRanges = ["10.0.0.0/8"] },
        Port("ns3", "svc3", "10.96.0.43"),
    ];

    [Fact]
    public void Writing_through_the_cache_gives_the_same_rules_as_generating_them()
    {
        var cache = new PortRulesCache();
        var first = RuleSetWriter.Write(Config, Ports("10.244.1.2"), [], cache);
        first.Text.Should().Be(RuleSetWriter.Write(Config, Ports("10.244.1.2"), []).Text);

        var changed = Ports("10.244.1.9");
        var existing = first.ServiceChains().Keys;
        var second = RuleSetWriter.Write(Config, changed, existing, cache);
        second.Text.Should().Be(RuleSetWriter.Write(Config, changed, existing).Text, "replayed and regenerated ports render alike")
            .And.Contain("--to-destination 10.244.1.9:80", "the changed port was generated anew")
            .And.NotContain("10.244.1.2:80");
        var third = RuleSetWriter.Write(Config, [changed[1]], second.ServiceChains().Keys, cache);
        third.Text.Should().Be(RuleSetWriter.Write(Config, [changed[1]], second.ServiceChains().Keys).Text, "removed ports leave nothing behind");
    }

    [Fact]
    public void Ports_are_equal_by_value_lists_included()
    {
        var a = Ports("10.244.1.2")[1];
        var b = a with { LoadBalancerIps = ["192.168.1.10"], LoadBalancerSourceRanges = ["10.0.0.0/8"], Endpoints = [Ready("10.244.1.3")] };
        b.Should().Be(a);
        b.GetHashCode().Should().Be(a.GetHashCode());
        (a with { Endpoints = [Ready("10.244.1.3", node: "node-b")] }).Should().NotBe(a);
        (a with { LoadBalancerSourceRanges = ["10.0.0.0/9"] }).Should().NotBe(a);
        (a with { HealthCheckNodePort = 32000 }).Should().NotBe(a);
    }
}
