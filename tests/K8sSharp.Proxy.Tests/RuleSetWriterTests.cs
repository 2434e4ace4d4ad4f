using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>The complete iptables-restore input for typical services, against reviewed golden files.</summary>
public sealed class RuleSetWriterTests
{
    private static readonly ProxierConfig Config = new(Node, "10.244.0.0/16", "10.96.0.0/12");

    private static readonly Dictionary<string, (ProxiedServicePort[] Ports, string[] Existing)> Cases = new()
    {
        ["no-endpoints"] = ([Port("ns1", "svc1", "10.96.0.41")], []),
        ["one-endpoint"] = ([Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1", 8080))], []),
        ["three-endpoints"] = ([Port("ns4", "svc4", "10.96.0.44", Ready("10.244.1.4"), Ready("10.244.1.5"), Ready("10.244.2.6"))], []),
        ["nodeport"] = ([Port("ns3", "svc3", "10.96.0.43", Ready("10.244.1.3"), Ready("10.244.2.3", node: "node-b")) with { NodePort = 30003 }], []),
        ["nodeport-no-endpoints"] = ([Port("ns3", "svc3", "10.96.0.43") with { NodePort = 30003 }], []),
        ["client-ip-affinity"] = ([Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1"), Ready("10.244.1.2")) with { AffinitySeconds = 10800 }], []),
        ["external-policy-local"] = (
            [Port("ns2", "svc2", "10.96.0.42", Ready("10.244.1.2"), Ready("10.244.2.2", node: "node-b")) with { NodePort = 30002, ExternalTrafficLocal = true }],
            []),
        ["internal-policy-local-remote-only"] = (
            [Port("ns2", "svc2", "10.96.0.42", Ready("10.244.2.2", node: "node-b")) with { NodePort = 30002, InternalPolicyLocal = true }],
            []),
        ["loadbalancer-health-check"] = (
            [Port("ns2", "svc2", "10.96.0.42", Ready("10.244.1.2")) with
            {
                NodePort = 30002, LoadBalancerIps = ["192.168.1.10"], ExternalTrafficLocal = true, HealthCheckNodePort = 32002,
            }],
            []),
        ["terminating-endpoints"] = (
            [Port("ns1", "svc1", "10.96.0.41", Terminating("10.244.1.1", serving: true), Terminating("10.244.1.2", serving: false))],
            []),
        ["stale-chains"] = (
            [Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1"))],
            ["KUBE-SERVICES", "KUBE-SVC-XPGD46QRK7WJZT7O", "KUBE-SVC-AAAAAAAAAAAAAAAA", "KUBE-SEP-BBBBBBBBBBBBBBBB", "KUBE-EXT-AAAAAAAAAAAAAAAA", "DOCKER"]),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Ruleset_matches_golden_file(string name)
    {
        var (ports, existing) = Cases[name];
        GoldenFile.Verify(name, RuleSetWriter.Write(Config, ports, existing).Text);
    }

    [Theory]
    [InlineData(1, "1.0000000000")]
    [InlineData(2, "0.5000000000")]
    [InlineData(3, "0.3333333333")]
    [InlineData(7, "0.1428571429")]
    public void Probability_is_one_over_n_with_ten_decimals(int n, string expected)
    {
        RuleSetWriter.Probability(n).Should().Be(expected);
    }

    [Fact]
    public void Rule_counts_per_table_feed_the_metrics()
    {
        var rules = RuleSetWriter.Write(Config, [Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1"))], []);
        // filter: localnet firewall, 3 forward rules, unallocated-service-IP reject.
        rules.Filter.RuleCount.Should().Be(5);
        // nat: 3 postrouting, 1 mark, capture, masquerade, 1 endpoint jump, 2 endpoint rules, nodeports jump.
        rules.Nat.RuleCount.Should().Be(10);
    }

    [Fact]
    public void Equal_inputs_give_byte_equal_output()
    {
        ProxiedServicePort[] ports = [Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1")), Port("ns2", "svc2", "10.96.0.42")];
        RuleSetWriter.Write(Config, ports, []).Text.Should().Be(RuleSetWriter.Write(Config, ports, []).Text);
    }
}
