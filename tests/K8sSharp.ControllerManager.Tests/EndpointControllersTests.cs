using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Endpoints;
using K8sSharp.ControllerManager.EndpointSlices;
using K8sSharp.ControllerManager.ServiceEndpoints;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The EndpointSlice and Endpoints controllers against the real API server.</summary>
public sealed class EndpointControllersTests : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private EndpointSliceController slices = null!;
    private EndpointsController endpoints = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        slices = new EndpointSliceController(server.Client, TimeProvider.System, NullLogger.Instance);
        endpoints = new EndpointsController(server.Client, TimeProvider.System, NullLogger.Instance);
        slices.Register(server.Informers);
        endpoints.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    private async Task CreateRunningPodAsync(string name, string ip, bool ready)
    {
        await server.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec
            {
                NodeName = "n1",
                Containers = [new V1Container { Name = "c", Image = "busybox", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }],
            },
        }, Ns);
        await SetReadyAsync(name, ip, ready);
    }

    private Task<V1Pod> SetReadyAsync(string name, string ip, bool ready) =>
        server.Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(
            $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","conditions":[{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}"}]}}""",
            V1Patch.PatchType.MergePatch), name, Ns);

    private async Task CreateServiceAsync(string name, Dictionary<string, string>? selector)
    {
        await server.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec { Selector = selector, Ports = [new V1ServicePort { Name = "web", Port = 80, TargetPort = "http" }] },
        }, Ns);
    }

    private async Task ReconcileBothAsync(string key)
    {
        await slices.ReconcileAsync(key, CancellationToken.None);
        await endpoints.ReconcileAsync(key, CancellationToken.None);
    }

    private async Task<List<V1EndpointSlice>> SlicesOfAsync(string service) =>
        [.. (await server.Client.DiscoveryV1.ListNamespacedEndpointSliceAsync(Ns, labelSelector: "kubernetes.io/service-name=" + service)).Items];

    private Informer<V1Pod> PodInformer => server.Informers.GetOrAdd(() => ListWatchers.For<V1Pod>(server.Client));

    private Informer<V1EndpointSlice> SliceInformer => server.Informers.GetOrAdd(() => ListWatchers.For<V1EndpointSlice>(server.Client));

    [Fact]
    public async Task Ready_pods_are_published_and_a_pod_turning_unready_flips_in_place()
    {
        await server.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" } });
        await CreateRunningPodAsync("a", "10.244.0.5", ready: true);
        await CreateRunningPodAsync("b", "10.244.0.6", ready: true);
        await CreateServiceAsync("web", new Dictionary<string, string> { ["app"] = "web" });
        await server.StartInformersAsync();

        await ReconcileBothAsync("default/web");

        var slice = (await SlicesOfAsync("web")).Should().ContainSingle().Subject;
        slice.Metadata.Name.Should().MatchRegex("^web-[a-z0-9]{5}$");
        slice.Metadata.Labels.Should().Contain(SliceShape.ManagedByLabel, SliceShape.ControllerName);
        slice.Metadata.Annotations.Should().ContainKey(TriggerTimeTracker.Annotation);
        slice.Ports.Should().ContainSingle().Which.Port.Should().Be(8080, "the named targetPort resolves to the container port");
        slice.Endpoints.Select(e => (e.Addresses[0], e.Conditions.Ready)).Should().BeEquivalentTo([("10.244.0.5", true), ("10.244.0.6", true)]);
        var ep = await server.Client.CoreV1.ReadNamespacedEndpointsAsync("web", Ns);
        ep.Metadata.Labels.Should().Contain(EndpointsController.SkipMirrorLabel, "true");
        ep.Subsets.Single().Addresses.Select(a => a.Ip).Should().BeEquivalentTo(["10.244.0.5", "10.244.0.6"]);

        await Eventually.TrueAsync(() => SliceInformer.Lister.List(Ns).Any(s => s.Metadata.Name == slice.Metadata.Name), "the informer saw the slice");
        await SetReadyAsync("b", "10.244.0.6", ready: false);
        await Eventually.TrueAsync(() => !EndpointPods.IsReady(PodInformer.Lister.Get(Ns, "b")!), "the informer saw pod b turn unready");
        await ReconcileBothAsync("default/web");

        var updated = (await SlicesOfAsync("web")).Should().ContainSingle().Subject;
        updated.Metadata.Name.Should().Be(slice.Metadata.Name, "the slice is updated in place");
        updated.Endpoints.Single(e => e.Addresses[0] == "10.244.0.6").Conditions.Ready.Should().BeFalse();
        var subset = (await server.Client.CoreV1.ReadNamespacedEndpointsAsync("web", Ns)).Subsets.Single();
        subset.Addresses.Select(a => a.Ip).Should().Equal("10.244.0.5");
        subset.NotReadyAddresses.Select(a => a.Ip).Should().Equal("10.244.0.6");
    }

    [Fact]
    public async Task A_selector_matching_no_pods_gets_an_empty_slice_and_empty_endpoints_and_both_go_with_the_service()
    {
        await CreateServiceAsync("empty", new Dictionary<string, string> { ["app"] = "nothing" });
        await server.StartInformersAsync();

        await ReconcileBothAsync("default/empty");

        (await SlicesOfAsync("empty")).Should().ContainSingle().Which.Endpoints.Should().BeNullOrEmpty();
        (await server.Client.CoreV1.ReadNamespacedEndpointsAsync("empty", Ns)).Subsets.Should().BeNullOrEmpty();

        await Eventually.TrueAsync(() => SliceInformer.Lister.List(Ns).Count(s => s.Metadata.Name.StartsWith("empty-", StringComparison.Ordinal)) == 1, "the informer saw the slice");
        await server.Client.CoreV1.DeleteNamespacedServiceAsync("empty", Ns);
        await Eventually.TrueAsync(() => server.Informers.GetOrAdd(() => ListWatchers.For<V1Service>(server.Client)).Lister.Get(Ns, "empty") is null, "the informer saw the delete");
        await Eventually.TrueAsync(() => server.Informers.GetOrAdd(() => ListWatchers.For<V1Endpoints>(server.Client)).Lister.Get(Ns, "empty") is not null, "the informer saw the endpoints");
        await ReconcileBothAsync("default/empty");

        (await SlicesOfAsync("empty")).Should().BeEmpty();
        (await server.Client.CoreV1.ListNamespacedEndpointsAsync(Ns, fieldSelector: "metadata.name=empty")).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task A_service_without_selector_is_left_to_its_user()
    {
        await CreateServiceAsync("manual", selector: null);
        await server.StartInformersAsync();

        await ReconcileBothAsync("default/manual");

        (await SlicesOfAsync("manual")).Should().BeEmpty();
        (await server.Client.CoreV1.ListNamespacedEndpointsAsync(Ns, fieldSelector: "metadata.name=manual")).Items.Should().BeEmpty();
    }
}
