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

    [Fact]
    public void Ingress_ips_are_captured_through_the_external_chain()
    {
        var port = Port("ns1", "web", "10.96.0.41", Ready("10.244.1.1")) with { LoadBalancerIps = ["192.168.1.10"] };
        GoldenFile.Verify("loadbalancer", RuleSetWriter.Write(new ProxierConfig(Node, "10.244.0.0/16", "10.96.0.0/12"), [port], []).Text);
    }
}
