using k8s.Models;
using K8sSharp.ControllerManager.Endpoints;

namespace K8sSharp.ControllerManager.Tests;

public sealed class EndpointsUnitTests
{
    [Fact]
    public void Ready_and_not_ready_pods_share_one_subset_per_port_set()
    {
        var service = EndpointSliceUnitTests.Service();
        var pods = new[]
        {
            EndpointSliceUnitTests.Pod("a", ip: "10.244.0.1"),
            EndpointSliceUnitTests.Pod("b", ip: "10.244.0.2", ready: false),
            EndpointSliceUnitTests.Pod("c", ip: "10.244.0.3", terminating: true),
        };

        var subsets = EndpointSubsets.Build(service, pods);

        var subset = subsets.Should().ContainSingle().Subject;
        subset.Addresses.Select(a => a.Ip).Should().Equal("10.244.0.1");
        subset.NotReadyAddresses.Select(a => a.Ip).Should().Equal("10.244.0.2");
        subset.Ports.Should().ContainSingle().Which.Should().BeEquivalentTo(new Corev1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" });
        subset.Addresses[0].TargetRef.Should().BeEquivalentTo(new V1ObjectReference { Kind = "Pod", NamespaceProperty = "ns", Name = "a", Uid = "uid-a" });
        subset.Addresses[0].NodeName.Should().Be("n1");
    }

    [Fact]
    public void Publishing_not_ready_addresses_makes_every_pod_ready_including_terminating_ones()
    {
        var service = EndpointSliceUnitTests.Service(publishNotReady: true);
        var pods = new[] { EndpointSliceUnitTests.Pod("b", ip: "10.244.0.2", ready: false), EndpointSliceUnitTests.Pod("c", ip: "10.244.0.3", terminating: true) };

        var subset = EndpointSubsets.Build(service, pods).Single();

        subset.Addresses.Select(a => a.Ip).Should().BeEquivalentTo(["10.244.0.2", "10.244.0.3"]);
        subset.NotReadyAddresses.Should().BeNull();
    }

    [Fact]
    public void A_headless_service_without_ports_lists_addresses_without_ports()
    {
        var service = EndpointSliceUnitTests.Service(clusterIP: "None");
        service.Spec.Ports = null;

        var subset = EndpointSubsets.Build(service, [EndpointSliceUnitTests.Pod("a")]).Single();

        subset.Addresses.Should().ContainSingle();
        subset.Ports.Should().BeNull();
    }

    [Fact]
    public void More_than_1000_addresses_are_truncated_keeping_ready_ones_first()
    {
        var service = EndpointSliceUnitTests.Service();
        var pods = Enumerable.Range(0, 1100).Select(i =>
            EndpointSliceUnitTests.Pod($"p{i}", ip: $"10.244.{i / 250}.{(i % 250) + 1}", ready: i < 900));
        var subsets = EndpointSubsets.Build(service, pods);

        EndpointSubsets.Truncate(subsets).Should().BeTrue();

        subsets.Sum(s => s.Addresses?.Count ?? 0).Should().Be(900);
        subsets.Sum(s => s.NotReadyAddresses?.Count ?? 0).Should().Be(100);
        EndpointSubsets.Truncate(subsets).Should().BeFalse("it fits now");
    }
}
