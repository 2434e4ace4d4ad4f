using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.Tests;

/// <summary>The hashed chain names must equal upstream's (values from kube-proxy's own tests and real clusters).</summary>
public sealed class ChainNamesTests
{
    [Theory]
    [InlineData("ns1", "svc1", "p80", "KUBE-SVC-XPGD46QRK7WJZT7O")]
    [InlineData("ns2", "svc2", "p80", "KUBE-SVC-GNZBNJ2PO5MGZ6GT")]
    [InlineData("ns3", "svc3", "p80", "KUBE-SVC-X27LE4BHSL4DOUIK")]
    [InlineData("ns4", "svc4", "p80", "KUBE-SVC-4SW47YFZTEDKD3PK")]
    [InlineData("default", "kubernetes", "https", "KUBE-SVC-NPX46M4PTMTKRN6Y")]
    public void Service_chains_match_upstream(string ns, string name, string port, string expected)
    {
        ChainNames.ServicePort(new ServicePortName(ns, name, port, "tcp")).Should().Be(expected);
    }

    [Theory]
    [InlineData("ns1", "svc1", "10.180.0.1", "KUBE-SEP-SXIVWICOYRO3J4NJ")]
    [InlineData("ns2", "svc2", "10.180.0.2", "KUBE-SEP-RS4RBKLTHTF2IUXJ")]
    [InlineData("ns3", "svc3", "10.180.0.3", "KUBE-SEP-OYPFS5VJICHGATKP")]
    [InlineData("ns4", "svc4", "10.180.0.4", "KUBE-SEP-UKSFD7AGPMPPLUHC")]
    [InlineData("ns4", "svc4", "10.180.0.5", "KUBE-SEP-C6EBXVWJJZMIWKLZ")]
    public void Endpoint_chains_match_upstream(string ns, string name, string ip, string expected)
    {
        ChainNames.Endpoint(new ServicePortName(ns, name, "p80", "tcp"), Builders.Ready(ip)).Should().Be(expected);
    }

    [Fact]
    public void Ext_svl_and_fw_chains_share_the_service_hash()
    {
        var name = new ServicePortName("ns2", "svc2", "p80", "tcp");
        ChainNames.External(name).Should().Be("KUBE-EXT-GNZBNJ2PO5MGZ6GT");
        ChainNames.LocalPolicy(name).Should().Be("KUBE-SVL-GNZBNJ2PO5MGZ6GT");
        ChainNames.LoadBalancerFirewall(new ServicePortName("ns5", "svc5", "p80", "tcp")).Should().Be("KUBE-FW-NUKIZ6OKUXPJNT4C");
    }

    [Fact]
    public void Protocol_is_part_of_the_hash()
    {
        ChainNames.ServicePort(new ServicePortName("ns1", "svc1", "p80", "udp"))
            .Should().NotBe(ChainNames.ServicePort(new ServicePortName("ns1", "svc1", "p80", "tcp")));
    }

    [Fact]
    public void Unnamed_ports_print_without_a_colon()
    {
        new ServicePortName("ns", "web", "", "tcp").ToString().Should().Be("ns/web");
        new ServicePortName("ns", "web", "http", "tcp").ToString().Should().Be("ns/web:http");
    }
}
