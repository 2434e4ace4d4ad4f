using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

public sealed class ReplicaSetControllerTests : IAsyncLifetime
{
    private const string Ns = "default";
    private static readonly Dictionary<string, string> AppLabels = new() { ["app"] = "web" };
    private readonly ApiServerHarness server = new();
    private ReplicaSetController controller = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        controller = new ReplicaSetController(server.Client, TimeProvider.System, NullLogger.Instance);
        controller.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    private static V1ReplicaSet NewReplicaSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = AppLabels },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(AppLabels) { ["tier"] = "front" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            },
        },
    };

    private static V1Pod Orphan(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>(AppLabels) },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private async Task<List<V1Pod>> LivePodsAsync() =>
        [.. (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Where(p => p.Metadata.DeletionTimestamp is null)];

    private Informer<V1Pod> PodInformer => server.Informers.GetOrAdd(() => ListWatchers.For<V1Pod>(server.Client));

    [Fact]
    public async Task Reconcile_creates_missing_pods_once_and_then_reports_them_in_status()
    {
        var rs = await server.Client.AppsV1.CreateNamespacedReplicaSetAsync(NewReplicaSet("web", 3), Ns);
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/web", CancellationToken.None);
        // While the creates are not yet observed, a second reconcile must not create more.
        await controller.ReconcileAsync("default/web", CancellationToken.None);

        var pods = await LivePodsAsync();
        pods.Should().HaveCount(3);
        pods.Should().AllSatisfy(p =>
        {
            p.Metadata.Name.Should().StartWith("web-");
            p.Metadata.Labels.Should().Contain("tier", "front");
            p.Metadata.OwnerReferences.Should().ContainSingle(r =>
                r.Uid == rs.Metadata.Uid && r.Kind == "ReplicaSet" && r.Controller == true && r.BlockOwnerDeletion == true);
        });

        await Eventually.TrueAsync(() => controller.Expectations.Satisfied("default/web"), "the informer observed the creates");
        await controller.ReconcileAsync("default/web", CancellationToken.None);

        (await LivePodsAsync()).Should().HaveCount(3);
        var status = (await server.Client.AppsV1.ReadNamespacedReplicaSetStatusAsync("web", Ns)).Status;
        status.Replicas.Should().Be(3);
        status.FullyLabeledReplicas.Should().Be(3);
        status.ReadyReplicas.Should().Be(0);
        status.AvailableReplicas.Should().Be(0);
        status.ObservedGeneration.Should().Be(rs.Metadata.Generation);
    }

    [Fact]
    public async Task Reconcile_adopts_matching_orphans_and_deletes_the_surplus()
    {
        await server.Client.CoreV1.CreateNamespacedPodAsync(Orphan("orphan-1"), Ns);
        await server.Client.CoreV1.CreateNamespacedPodAsync(Orphan("orphan-2"), Ns);
        var rs = await server.Client.AppsV1.CreateNamespacedReplicaSetAsync(NewReplicaSet("web", 1), Ns);
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/web", CancellationToken.None);

        var pods = await LivePodsAsync();
        pods.Should().ContainSingle();
        pods[0].Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == rs.Metadata.Uid && r.Controller == true);
        // Whether the informer has already seen the delete here is a race, so only the end state is asserted; the
        // pending-until-observed rule itself is covered by the ControllerExpectations unit tests.
        await Eventually.TrueAsync(() => controller.Expectations.Satisfied("default/web"), "the informer observed the delete");
    }

    [Fact]
    public async Task A_deleted_pod_is_replaced_and_the_pod_event_enqueues_its_owner()
    {
        await server.Client.AppsV1.CreateNamespacedReplicaSetAsync(NewReplicaSet("web", 2), Ns);
        await server.StartInformersAsync();
        await controller.ReconcileAsync("default/web", CancellationToken.None);
        await Eventually.TrueAsync(() => PodInformer.Lister.List(Ns).Count == 2, "the informer saw both pods");
        await Eventually.TrueAsync(() => controller.Expectations.Satisfied("default/web"), "the creates were observed");

        var victim = (await LivePodsAsync())[0];
        await server.Client.CoreV1.DeleteNamespacedPodAsync(victim.Metadata.Name, Ns);
        await Eventually.TrueAsync(() => PodInformer.Lister.Get(Ns, victim.Metadata.Name) is null, "the informer saw the delete");
        await Eventually.TrueAsync(() => controller.Queue.Length > 0, "the pod delete enqueued its ReplicaSet");
        await controller.ReconcileAsync("default/web", CancellationToken.None);

        var pods = await LivePodsAsync();
        pods.Should().HaveCount(2);
        pods.Select(p => p.Metadata.Name).Should().NotContain(victim.Metadata.Name);
    }
}
