using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>Services + EndpointSlices → service ports with their endpoints, as the endpoint-slice cache merges them.</summary>
public sealed class ServiceModelTests
{
    [Fact]
    public void Endpoints_of_every_slice_of_a_service_are_merged_per_port_and_sorted()
    {
        var service = Service("ns", "web", "10.96.0.5", ServicePort("http", 80), ServicePort("dns", 53, "UDP"));
        var ports = ServiceModel.Build([service],
        [
            Slice("ns", "web", "web-a", [SlicePort("http", 8080), SlicePort("dns", 5353, "UDP")], Endpoint("10.244.1.2"), Endpoint("10.244.1.1")),
            Slice("ns", "web", "web-b", [SlicePort("http", 8080)], Endpoint("10.244.1.3", ready: false)),
            Slice("ns", "other", "other-a", [SlicePort("http", 8080)], Endpoint("10.244.9.9")),
        ]);

        ports.Select(p => p.Name.ToString() + "/" + p.Protocol).Should().Equal("ns/web:dns/udp", "ns/web:http/tcp");
        var http = ports.Single(p => p.Name.Port == "http");
        http.Endpoints.Select(e => $"{e} {e.Ready}").Should().Equal("10.244.1.1:8080 True", "10.244.1.2:8080 True", "10.244.1.3:8080 False");
        ports.Single(p => p.Name.Port == "dns").Endpoints.Select(e => e.ToString()).Should().Equal("10.244.1.1:5353", "10.244.1.2:5353");
    }

    [Theory]
    [InlineData(null, null, null, true, true, false)]
    [InlineData(false, null, null, false, false, false)]
    [InlineData(false, true, true, false, true, true)]
    public void Unset_conditions_default_as_the_EndpointSlice_API_says(bool? ready, bool? serving, bool? terminating, bool isReady, bool isServing, bool isTerminating)
    {
        var ports = ServiceModel.Build([Service("ns", "web", "10.96.0.5", ServicePort("http", 80))],
            [Slice("ns", "web", "web-a", [SlicePort("http", 8080)], Endpoint("10.244.1.1", ready, serving: serving, terminating: terminating))]);

        ports.Single().Endpoints.Single().Should().Be(new ServiceEndpoint("10.244.1.1", 8080, isReady, isServing, isTerminating, Node));
    }

    [Fact]
    public void An_address_in_two_slices_counts_once_preferring_the_ready_copy()
    {
        var ports = ServiceModel.Build([Service("ns", "web", "10.96.0.5", ServicePort("http", 80))],
        [
            Slice("ns", "web", "web-a", [SlicePort("http", 8080)], Endpoint("10.244.1.1", ready: false)),
            Slice("ns", "web", "web-b", [SlicePort("http", 8080)], Endpoint("10.244.1.1", ready: true)),
        ]);

        ports.Single().Endpoints.Should().ContainSingle().Which.Ready.Should().BeTrue();
    }

    [Fact]
    public void Headless_ExternalName_and_IPv6_services_are_not_proxied()
    {
        var headless = Service("ns", "headless", "None", ServicePort("http", 80));
        var external = Service("ns", "ext", "", ServicePort("http", 80));
        external.Spec.Type = "ExternalName";
        var v6 = Service("ns", "v6", "fd00::5", ServicePort("http", 80));

        ServiceModel.Build([headless, external, v6], []).Should().BeEmpty();
    }

    [Fact]
    public void Spec_fields_reach_the_port()
    {
        var service = Service("ns", "web", "10.96.0.5", ServicePort("http", 80));
        service.Spec.Type = "NodePort";
        service.Spec.Ports[0].NodePort = 30080;
        service.Spec.SessionAffinity = "ClientIP";
        service.Spec.ExternalTrafficPolicy = "Local";
        service.Spec.InternalTrafficPolicy = "Local";
        service.Spec.ExternalIPs = ["192.0.2.50"];

        var port = ServiceModel.Build([service], []).Single();

        port.NodePort.Should().Be(30080);
        port.AffinitySeconds.Should().Be(ServiceModel.DefaultAffinitySeconds);
        port.ExternalPolicyLocal.Should().BeTrue();
        port.InternalPolicyLocal.Should().BeTrue();
        port.ExternalIps.Should().Equal("192.0.2.50");
    }

    [Fact]
    public void Ready_endpoints_win_and_serving_terminating_ones_are_the_fallback()
    {
        var port = Port("ns", "web", "10.96.0.5", Ready("10.244.1.1"), Terminating("10.244.1.2", serving: true));
        EndpointSelection.For(port, Node).Cluster.Select(e => e.Ip).Should().Equal("10.244.1.1");

        var onlyTerminating = Port("ns", "web", "10.96.0.5", Terminating("10.244.1.2", serving: true), Terminating("10.244.1.3", serving: false));
        EndpointSelection.For(onlyTerminating, Node).Cluster.Select(e => e.Ip).Should().Equal("10.244.1.2");
    }

    [Fact]
    public void Local_endpoints_are_this_nodes_only_and_used_only_by_a_Local_policy()
    {
        var port = Port("ns", "web", "10.96.0.5", Ready("10.244.1.1"), Ready("10.244.2.1", node: "node-b")) with { InternalPolicyLocal = true };
        var selection = EndpointSelection.For(port, Node);

        selection.Local.Select(e => e.Ip).Should().Equal("10.244.1.1");
        selection.Cluster.Should().BeEmpty("a ClusterIP-only service with internalTrafficPolicy Local never uses remote endpoints");
    }
}
