using k8s;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.StatefulSets;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

public sealed class StatefulSetControllerTests : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private StatefulSetController controller = null!;

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    /// <summary>The controller, registered on the harness's informers; the recorder flushes when the test ends.</summary>
    private EventRecorder StartController()
    {
        var events = new EventRecorder(server.Client, "statefulset-controller");
        controller = new StatefulSetController(server.Client, events, TimeProvider.System, NullLogger.Instance);
        controller.Register(server.Informers);
        return events;
    }

    private static V1StatefulSet NewStatefulSet() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web" },
        Spec = new V1StatefulSetSpec
        {
            Replicas = 2,
            ServiceName = "web",
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox", VolumeMounts = [new V1VolumeMount { Name = "www", MountPath = "/www" }] }] },
            },
            VolumeClaimTemplates =
            [
                new V1PersistentVolumeClaim
                {
                    Metadata = new V1ObjectMeta { Name = "www" },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Mi") } },
                    },
                },
            ],
        },
    };

    private async Task<List<string>> PodNamesAsync() =>
        [.. (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal)];

    private Informer<V1Pod> PodInformer => server.Informers.GetOrAdd(() => ListWatchers.For<V1Pod>(server.Client));

    [Fact]
    public async Task Pods_and_claims_are_created_in_ordinal_order_each_after_the_previous_is_ready()
    {
        var set = await server.Client.AppsV1.CreateNamespacedStatefulSetAsync(NewStatefulSet(), Ns);
        await using var events = StartController();
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/web", CancellationToken.None);

        (await PodNamesAsync()).Should().Equal("web-0");
        (await server.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Ns)).Items.Select(c => c.Metadata.Name).Should().Equal("www-web-0");
        await Eventually.TrueAsync(() => PodInformer.Lister.Get(Ns, "web-0") is not null, "the informer saw web-0");
        await controller.ReconcileAsync("default/web", CancellationToken.None);
        (await PodNamesAsync()).Should().Equal(["web-0"], "web-1 waits until web-0 is Running and Ready");

        await server.Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""", V1Patch.PatchType.MergePatch), "web-0", Ns);
        await Eventually.TrueAsync(() => PodInformer.Lister.Get(Ns, "web-0")?.Status?.Phase == "Running", "the informer saw web-0 ready");
        await controller.ReconcileAsync("default/web", CancellationToken.None);

        (await PodNamesAsync()).Should().Equal("web-0", "web-1");
        var web1 = await server.Client.CoreV1.ReadNamespacedPodAsync("web-1", Ns);
        web1.Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == set.Metadata.Uid && r.Kind == "StatefulSet" && r.Controller == true);
        (web1.Spec.Hostname, web1.Spec.Subdomain).Should().Be(("web-1", "web"));
        var status = (await server.Client.AppsV1.ReadNamespacedStatefulSetStatusAsync("web", Ns)).Status;
        status.ReadyReplicas.Should().Be(1);
        status.UpdateRevision.Should().Be(web1.Metadata.Labels["controller-revision-hash"]).And.StartWith("web-");
    }
}
