using k8s.Models;
using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.LoadBalancer;
using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>The single-node load balancer: which status it wants, and the rules for ingress IPs.</summary>
public sealed class LoadBalancerTests
{
    private static V1Service LoadBalancerService(string? loadBalancerClass = null, params V1LoadBalancerIngress[] ingress)
    {
        var service = Service("ns1", "web", "10.96.0.41", ServicePort("http", 80));
        service.Spec.Type = "LoadBalancer";
        service.Spec.LoadBalancerClass = loadBalancerClass;
        service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = ingress } };
        return service;
    }

    [Fact]
    public void A_load_balancer_without_class_gets_the_node_ips_with_ip_mode_vip()
    {
        var desired = ServiceLoadBalancer.Desired(LoadBalancerService(), ["192.168.1.10"]);
        desired.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1LoadBalancerIngress { Ip = "192.168.1.10", IpMode = "VIP" });
    }

    [Fact]
    public void Services_of_another_class_or_type_are_not_ours()
    {
        ServiceLoadBalancer.Desired(LoadBalancerService("example.com/other"), ["192.168.1.10"]).Should().BeNull();
        ServiceLoadBalancer.Desired(Service("ns1", "web", "10.96.0.41", ServicePort("http", 80)), ["192.168.1.10"]).Should().BeNull();
    }

    [Fact]
    public void Status_is_written_only_when_it_differs()
    {
        var desired = ServiceLoadBalancer.Desired(LoadBalancerService(), ["192.168.1.10"])!;
        ServiceLoadBalancer.NeedsUpdate(LoadBalancerService(), desired).Should().BeTrue();
        ServiceLoadBalancer.NeedsUpdate(LoadBalancerService(null, new V1LoadBalancerIngress { Ip = "192.168.1.10", IpMode = "VIP" }), desired).Should().BeFalse();
        ServiceLoadBalancer.NeedsUpdate(LoadBalancerService(null, new V1LoadBalancerIngress { Ip = "192.168.1.9", IpMode = "VIP" }), desired).Should().BeTrue();
    }

    [Fact]
    public void Node_ips_are_the_ipv4_internal_addresses()
    {
        var node = new V1Node
        {
            Status = new V1NodeStatus
            {
                Addresses = [new() { Type = "Hostname", Address = "n" }, new() { Type = "InternalIP", Address = "fd00::1" }, new() { Type = "InternalIP", Address = "192.168.1.10" }],
            },
        };
        ServiceLoadBalancer.NodeIps(node).Should().Equal("192.168.1.10");
        ServiceLoadBalancer.NodeIps(null).Should().BeEmpty();
    }

    [Fact]
    public void The_model_takes_vip_ingress_ips_and_skips_proxy_mode()
    {
        var service = LoadBalancerService(null,
            new V1LoadBalancerIngress { Ip = "192.168.1.10", IpMode = "VIP" }, new V1LoadBalancerIngress { Ip = "192.168.1.11", IpMode = "Proxy" });
        service.Spec.Ports[0].NodePort = 30080;
        var port = ServiceModel.Build([service], []).Should().ContainSingle().Subject;
        port.LoadBalancerIps.Should().Equal("192.168.1.10");
        port.NodePort.Should().Be(30080);
    }

    [Theory]
    [InlineData("loadbalancer-source-ranges", "203.0.113.0/25")]
    [InlineData("loadbalancer-source-ranges-with-node", "192.168.1.0/24")]
    public void Source_ranges_send_load_balancer_traffic_through_the_firewall_chain(string golden, string range)
    {
        var port = Port("ns1", "web", "10.96.0.41", Ready("10.244.1.1")) with
        {
            NodePort = 30080,
            LoadBalancerIps = ["192.168.1.10"],
            LoadBalancerSourceRanges = ["10.0.0.0/8", range],
        };
        var config = new ProxierConfig(Node, "10.244.0.0/16", "10.96.0.0/12") { NodeIp = System.Net.IPAddress.Parse("192.168.1.5") };
        var text = RuleSetWriter.Write(config, [port], []).Text;
        GoldenFile.Verify(golden, text);
        var firewall = ChainNames.LoadBalancerFirewall(port.Name);
        text.Should().Contain($"-d 192.168.1.10 --dport 80 -j {firewall}", "load-balancer traffic goes through the firewall chain")
            .And.Contain($"-A {ChainNames.ProxyFirewall} ", "what the firewall chain does not DNAT is dropped")
            .And.Contain("--dport 30080 -j KUBE-EXT-", "node ports are not subject to the source ranges");
    }

    [Fact]
    public void Source_ranges_without_endpoints_leave_the_reject_alone()
    {
        var port = Port("ns1", "web", "10.96.0.41") with { LoadBalancerIps = ["192.168.1.10"], LoadBalancerSourceRanges = ["10.0.0.0/8"] };
        var text = RuleSetWriter.Write(new ProxierConfig(Node, "10.244.0.0/16", "10.96.0.0/12"), [port], []).Text;
        text.Should().NotContain("KUBE-FW-").And.Contain("-d 192.168.1.10 --dport 80 -j REJECT");
    }

    [Theory]
    [InlineData(" 192.0.2.7/24 ", "192.0.2.0/24")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("198.51.100.9/32", "198.51.100.9/32")]
    [InlineData("fd00::/64", null)]
    [InlineData("192.0.2.0/33", null)]
    [InlineData("192.0.2.0", null)]
    public void Source_ranges_are_parsed_leniently_and_printed_canonically(string range, string? expected)
    {
        SourceRanges.Canonical(range).Should().Be(expected);
    }

    [Fact]
    public void The_model_takes_the_ipv4_source_ranges()
    {
        var service = LoadBalancerService(null, new V1LoadBalancerIngress { Ip = "192.168.1.10", IpMode = "VIP" });
        service.Spec.LoadBalancerSourceRanges = ["192.0.2.7/24", "fd00::/64", "192.0.2.0/24"];
        ServiceModel.Build([service], []).Should().ContainSingle().Which.LoadBalancerSourceRanges.Should().Equal("192.0.2.0/24");
    }

    [Fact]
    public void Ingress_ips_are_captured_through_the_external_chain()
    {
        var port = Port("ns1", "web", "10.96.0.41", Ready("10.244.1.1")) with { LoadBalancerIps = ["192.168.1.10"] };
        GoldenFile.Verify("loadbalancer", RuleSetWriter.Write(new ProxierConfig(Node, "10.244.0.0/16", "10.96.0.0/12"), [port], []).Text);
    }
}
