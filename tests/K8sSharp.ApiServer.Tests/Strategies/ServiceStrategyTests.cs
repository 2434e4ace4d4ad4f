using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Strategies.StrategyHarness;

namespace K8sSharp.ApiServer.Tests.Strategies;

public class ServiceStrategyTests
{
    private static readonly K8sSharp.ApiServer.Registry.IResourceStrategy Strategy = For("", "v1", "services");

    [Fact]
    public void ClusterIP_service_defaults_match_kubectl_create_service()
    {
        var (svc, errors) = Create(Strategy, """{"metadata":{"name":"s"},"spec":{"ports":[{"name":"80-8080","port":80,"targetPort":8080}],"selector":{"app":"s"},"type":"ClusterIP"}}""");

        errors.Should().BeEmpty();
        var spec = svc["spec"]!;
        ((string?)spec["sessionAffinity"]).Should().Be("None");
        ((string?)spec["internalTrafficPolicy"]).Should().Be("Cluster");
        ((string?)spec["ipFamilyPolicy"]).Should().Be("SingleStack");
        spec["ipFamilies"]!.ToJsonString().Should().Be("""["IPv4"]""");
        spec["ports"]!.ToJsonString().Should().Be("""[{"name":"80-8080","port":80,"targetPort":8080,"protocol":"TCP"}]""");
        spec["clusterIP"].Should().BeNull("allocation is not part of defaulting");
        svc["status"]!.ToJsonString().Should().Be("""{"loadBalancer":{}}""");
    }

    [Fact]
    public void Target_port_defaults_to_port_and_type_to_ClusterIP()
    {
        var (svc, _) = Create(Strategy, """{"metadata":{"name":"s"},"spec":{"ports":[{"port":443}]}}""");

        ((string?)svc["spec"]!["type"]).Should().Be("ClusterIP");
        ((int?)svc["spec"]!["ports"]![0]!["targetPort"]).Should().Be(443);
    }

    [Fact]
    public void Headless_services_keep_None_and_selectorless_ones_are_dual_stack()
    {
        var (withSelector, _) = Create(Strategy, """{"metadata":{"name":"h"},"spec":{"clusterIP":"None","selector":{"a":"b"},"ports":[{"port":80}]}}""");
        var (selectorless, _) = Create(Strategy, """{"metadata":{"name":"h"},"spec":{"clusterIP":"None"}}""");

        withSelector["spec"]!["clusterIPs"]!.ToJsonString().Should().Be("""["None"]""");
        ((string?)withSelector["spec"]!["ipFamilyPolicy"]).Should().Be("SingleStack");
        ((string?)selectorless["spec"]!["ipFamilyPolicy"]).Should().Be("RequireDualStack");
        selectorless["spec"]!["ipFamilies"]!.ToJsonString().Should().Be("""["IPv4","IPv6"]""");
    }

    [Fact]
    public void NodePort_and_LoadBalancer_get_traffic_policies()
    {
        var (lb, _) = Create(Strategy, """{"metadata":{"name":"s"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]}}""");

        ((string?)lb["spec"]!["externalTrafficPolicy"]).Should().Be("Cluster");
        ((bool?)lb["spec"]!["allocateLoadBalancerNodePorts"]).Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"ports":[]}""", "spec.ports: Required value")]
    [InlineData("""{"ports":[{"port":80},{"name":"b","port":81}]}""", "spec.ports[0].name: Required value")]
    [InlineData("""{"ports":[{"name":"a","port":80},{"name":"a","port":81}]}""", "spec.ports[1].name: Duplicate value: \"a\"")]
    [InlineData("""{"ports":[{"port":70000,"targetPort":8080}]}""", "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"ports":[{"port":80,"targetPort":0}]}""", null)]
    [InlineData("""{"type":"Magic","ports":[{"port":80}]}""", "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"")]
    [InlineData("""{"type":"ExternalName"}""", "spec.externalName: Required value")]
    public void Invalid_services_report_upstream_messages(string spec, string? expected)
    {
        var (_, errors) = Create(Strategy, """{"metadata":{"name":"s"},"spec":""" + spec + "}");

        // A targetPort of 0 counts as unset and defaults to the port, so that case is valid.
        Lines(errors).Should().Equal(expected is null ? [] : [expected]);
    }

    [Fact]
    public void Service_names_are_DNS_1035_labels()
    {
        var (_, errors) = Create(Strategy, """{"metadata":{"name":"1svc"},"spec":{"ports":[{"port":80}]}}""");

        Lines(errors).Should().ContainSingle().Which.Should().StartWith("metadata.name: Invalid value: \"1svc\": a DNS-1035 label");
    }

    [Fact]
    public void Cluster_IP_is_kept_when_omitted_and_may_not_change()
    {
        var (svc, _) = Create(Strategy, """{"metadata":{"name":"s"},"spec":{"clusterIP":"10.96.0.10","ports":[{"port":80}]}}""");

        var (kept, keptErrors) = Update(Strategy, svc, s => { s["spec"]!.AsObject().Remove("clusterIP"); s["spec"]!.AsObject().Remove("clusterIPs"); });
        var (_, changed) = Update(Strategy, svc, s => { s["spec"]!["clusterIP"] = "10.96.0.11"; s["spec"]!["clusterIPs"] = new JsonArray("10.96.0.11"); });

        keptErrors.Should().BeEmpty();
        ((string?)kept["spec"]!["clusterIP"]).Should().Be("10.96.0.10");
        Lines(changed).Should().Equal("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set");
    }
}
