using k8s.Models;
using K8sSharp.ControllerManager.EndpointSlices;
using K8sSharp.ControllerManager.ServiceEndpoints;

namespace K8sSharp.ControllerManager.Tests;

public sealed class EndpointSliceUnitTests
{
    internal static V1Service Service(bool publishNotReady = false, string targetPort = "8080", string? clusterIP = "10.96.0.20") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Uid = "svc-uid", Labels = new Dictionary<string, string> { ["team"] = "a" } },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            ClusterIP = clusterIP,
            PublishNotReadyAddresses = publishNotReady,
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = targetPort }],
        },
    };

    internal static V1Pod Pod(string name, string? ip = "10.244.0.5", bool ready = true, bool terminating = false, string phase = "Running",
        string node = "n1", int? namedPort = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "ns", Uid = "uid-" + name, Labels = new Dictionary<string, string> { ["app"] = "web" },
            DeletionTimestamp = terminating ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null,
        },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers = [new V1Container { Name = "c", Ports = namedPort is { } p ? [new V1ContainerPort { Name = "web", ContainerPort = p }] : null }],
        },
        Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private static readonly V1Node Node1 = new()
    {
        Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { [DesiredEndpoints.ZoneLabel] = "zone-a" } },
    };

    private static V1Node? Nodes(string name) => name == "n1" ? Node1 : null;

    [Theory]
    // ready, terminating, publishNotReady -> ready, serving, terminating
    [InlineData(true, false, false, true, true, false)]
    [InlineData(false, false, false, false, false, false)]
    [InlineData(true, true, false, false, true, true)]
    [InlineData(false, true, false, false, false, true)]
    [InlineData(false, false, true, true, true, false)]
    [InlineData(false, true, true, true, true, true)]
    public void Endpoint_conditions_follow_readiness_and_termination(bool podReady, bool terminating, bool publishNotReady,
        bool ready, bool serving, bool isTerminating)
    {
        var endpoint = DesiredEndpoints.ToEndpoint(Service(publishNotReady), Pod("p", ready: podReady, terminating: terminating), Node1);

        (endpoint.Conditions.Ready, endpoint.Conditions.Serving, endpoint.Conditions.Terminating).Should().Be((ready, serving, isTerminating));
        endpoint.Addresses.Should().Equal("10.244.0.5");
        endpoint.NodeName.Should().Be("n1");
        endpoint.Zone.Should().Be("zone-a");
        endpoint.TargetRef.Should().BeEquivalentTo(new V1ObjectReference { Kind = "Pod", NamespaceProperty = "ns", Name = "p", Uid = "uid-p" });
        endpoint.Hostname.Should().BeNull();
    }

    [Theory]
    [InlineData(null, "Running", true)]
    [InlineData("10.244.0.9", "Succeeded", false)]
    [InlineData("10.244.0.9", "Failed", false)]
    [InlineData("10.244.0.9", "Pending", true)]
    public void Only_pods_with_an_IP_that_have_not_finished_are_published(string? ip, string phase, bool expectedWhenIpSet)
    {
        var published = EndpointPods.ShouldBeInEndpoints(Pod("p", ip: ip, phase: phase), includeTerminating: true);

        published.Should().Be(ip is not null && expectedWhenIpSet);
    }

    [Fact]
    public void Named_target_ports_resolve_per_pod_and_pods_without_the_port_form_their_own_group()
    {
        var service = Service(targetPort: "web");
        var pods = new[] { Pod("a", ip: "10.244.0.1", namedPort: 8080), Pod("b", ip: "10.244.0.2", namedPort: 9090), Pod("c", ip: "10.244.0.3") };

        var (sets, skipped) = DesiredEndpoints.Build(service, pods, Nodes);

        skipped.Should().BeEmpty();
        sets.Select(s => (string.Join(",", s.Ports.Select(p => p.Port)), string.Join(",", s.Endpoints.Select(e => e.Addresses[0]))))
            .Should().BeEquivalentTo([("8080", "10.244.0.1"), ("9090", "10.244.0.2"), ("", "10.244.0.3")]);
        sets.First(s => s.Ports.Count == 1).Ports[0].Should().BeEquivalentTo(new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" });
    }

    [Fact]
    public void Pods_on_a_missing_node_are_skipped_unless_not_ready_addresses_are_published()
    {
        var pods = new[] { Pod("a"), Pod("b", ip: "10.244.0.6", node: "gone") };

        DesiredEndpoints.Build(Service(), pods, Nodes).SkippedPods.Should().Equal("b");
        DesiredEndpoints.Build(Service(publishNotReady: true), pods, Nodes).Sets.Single().Endpoints.Should().HaveCount(2);
    }

    [Fact]
    public void A_pod_with_hostname_and_the_service_as_subdomain_gets_its_hostname()
    {
        var pod = Pod("p");
        pod.Spec.Hostname = "db-0";
        pod.Spec.Subdomain = "web";

        DesiredEndpoints.ToEndpoint(Service(), pod, Node1).Hostname.Should().Be("db-0");
    }

    [Fact]
    public void Endpoints_are_split_into_slices_of_at_most_100()
    {
        var pods = Enumerable.Range(0, 250).Select(i => Pod($"p{i:000}", ip: $"10.244.{i / 200}.{(i % 200) + 1}"));
        var (sets, _) = DesiredEndpoints.Build(Service(), pods, Nodes);

        var plan = SlicePlanner.Plan(Service(), [], sets, triggerTime: null);

        plan.Create.Select(s => s.Endpoints.Count).Should().BeEquivalentTo([100, 100, 50]);
        plan.Update.Should().BeEmpty();
        plan.Delete.Should().BeEmpty();
        plan.Create.Should().AllSatisfy(s =>
        {
            s.Metadata.GenerateName.Should().Be("web-");
            s.AddressType.Should().Be("IPv4");
            s.Metadata.Labels.Should().Contain(new Dictionary<string, string>
            {
                [SliceShape.ServiceNameLabel] = "web", [SliceShape.ManagedByLabel] = SliceShape.ControllerName, ["team"] = "a",
            });
            s.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "Service" && o.Uid == "svc-uid" && o.Controller == true);
        });
    }

    [Fact]
    public void A_changed_pod_updates_its_slice_in_place_and_new_pods_fill_it()
    {
        var service = Service();
        var (before, _) = DesiredEndpoints.Build(service, [Pod("a", ip: "10.244.0.1"), Pod("b", ip: "10.244.0.2")], Nodes);
        var existing = Existing(SlicePlanner.Plan(service, [], before, null).Create.Single(), "web-abcde");

        var (after, _) = DesiredEndpoints.Build(service, [Pod("a", ip: "10.244.0.1", ready: false), Pod("b", ip: "10.244.0.2"), Pod("c", ip: "10.244.0.3")], Nodes);
        var plan = SlicePlanner.Plan(service, [existing], after, null);

        plan.Create.Should().BeEmpty();
        plan.Delete.Should().BeEmpty();
        var updated = plan.Update.Single();
        updated.Metadata.Name.Should().Be("web-abcde");
        updated.Endpoints.Select(e => (e.Addresses[0], e.Conditions.Ready)).Should().Equal(("10.244.0.1", false), ("10.244.0.2", true), ("10.244.0.3", true));
    }

    [Fact]
    public void An_unchanged_service_needs_no_writes()
    {
        var service = Service();
        var (sets, _) = DesiredEndpoints.Build(service, [Pod("a")], Nodes);
        var existing = Existing(SlicePlanner.Plan(service, [], sets, null).Create.Single(), "web-abcde");

        SlicePlanner.Plan(service, [existing], sets, null).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void A_service_without_endpoints_gets_one_placeholder_slice_and_keeps_it()
    {
        var service = Service();

        var first = SlicePlanner.Plan(service, [], [], null);
        var placeholder = first.Create.Single();
        placeholder.Endpoints.Should().BeEmpty();
        placeholder.Ports.Should().BeEmpty();

        SlicePlanner.Plan(service, [Existing(placeholder, "web-ph123")], [], null).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Slices_left_empty_or_of_another_service_uid_are_deleted()
    {
        var service = Service();
        var (sets, _) = DesiredEndpoints.Build(service, [Pod("a")], Nodes);
        var stale = Existing(SlicePlanner.Plan(service, [], sets, null).Create.Single(), "web-old");
        stale.Metadata.OwnerReferences[0].Uid = "previous-service-uid";

        var plan = SlicePlanner.Plan(service, [stale], sets, null);

        plan.Delete.Select(s => s.Metadata.Name).Should().Equal("web-old");
        plan.Create.Should().ContainSingle().Which.Endpoints.Should().ContainSingle();
    }

    [Fact]
    public void Trigger_time_is_the_service_creation_first_then_the_earliest_new_pod_change()
    {
        var tracker = new TriggerTimeTracker();
        var service = Service();
        service.Metadata.CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var pod = Pod("a");
        pod.Status.Conditions[0].LastTransitionTime = new DateTime(2026, 1, 1, 0, 5, 0, DateTimeKind.Utc);

        tracker.Compute("ns/web", service, [pod]).Should().Be(service.Metadata.CreationTimestamp);
        tracker.Compute("ns/web", service, [pod]).Should().BeNull("nothing changed since the last sync");
        pod.Status.Conditions[0].LastTransitionTime = new DateTime(2026, 1, 1, 0, 9, 0, DateTimeKind.Utc);
        tracker.Compute("ns/web", service, [pod]).Should().Be(new DateTime(2026, 1, 1, 0, 9, 0, DateTimeKind.Utc));
    }

    /// <summary>A planned slice as the server would hold it: named, labelled, owned.</summary>
    private static V1EndpointSlice Existing(V1EndpointSlice planned, string name)
    {
        planned.Metadata.Name = name;
        planned.Metadata.GenerateName = null;
        planned.Metadata.ResourceVersion = "1";
        return planned;
    }
}
