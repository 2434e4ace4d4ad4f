using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Deployments;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests.Deployments;

/// <summary>The Deployment controller against our real API server in-process: what the server ends up holding.</summary>
public sealed class DeploymentControllerTests : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private readonly RecordedEvents events = new();
    private DeploymentController controller = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        controller = new DeploymentController(server.Client, events, TimeProvider.System, NullLogger.Instance);
        controller.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    private Informer<V1ReplicaSet> ReplicaSets => server.Informers.GetOrAdd(() => ListWatchers.For<V1ReplicaSet>(server.Client));

    private Informer<V1Deployment> DeploymentInformer => server.Informers.GetOrAdd(() => ListWatchers.For<V1Deployment>(server.Client));

    [Fact]
    public async Task A_template_change_creates_a_second_replica_set_at_the_next_revision_within_max_surge()
    {
        var d = Deployments.New(2, maxSurge: "1", maxUnavailable: "0", name: "web", image: "busybox:1.35");
        d.Metadata = new V1ObjectMeta { Name = "web" };
        var created = await server.Client.AppsV1.CreateNamespacedDeploymentAsync(d, Ns);
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/web", CancellationToken.None);

        var first = (await server.Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items.Should().ContainSingle().Subject;
        first.Metadata.Name.Should().MatchRegex("^web-[bcdfghjklmnpqrstvwxz2456789]+$");
        first.Metadata.Labels[PodTemplateHash.Label].Should().Be(first.Metadata.Name["web-".Length..]);
        first.Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == created.Metadata.Uid && r.Controller == true && r.BlockOwnerDeletion == true);
        first.Spec.Replicas.Should().Be(2);
        var stored = await server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns);
        stored.Metadata.Annotations.Should().Contain(DeploymentAnnotations.Revision, "1");
        stored.Status.Conditions.Should().Contain(c => c.Type == "Progressing" && c.Reason == "NewReplicaSetCreated");

        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}""";
        var changed = await server.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web", Ns);
        await Eventually.TrueAsync(() => DeploymentInformer.Lister.Get(Ns, "web")?.Metadata.Generation == changed.Metadata.Generation, "the informer saw the new template");
        await Eventually.TrueAsync(() => ReplicaSets.Lister.List(Ns).Count == 1, "the informer saw the first ReplicaSet");
        await controller.ReconcileAsync("default/web", CancellationToken.None);

        var all = (await server.Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items;
        all.Should().HaveCount(2);
        var second = all.Single(rs => rs.Metadata.Name != first.Metadata.Name);
        second.Spec.Template.Spec.Containers[0].Image.Should().Be("busybox:1.36");
        second.Metadata.Annotations.Should().Contain(DeploymentAnnotations.Revision, "2");
        second.Spec.Replicas.Should().Be(1, "2 old + 1 new is replicas + maxSurge");
        (await server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns)).Metadata.Annotations.Should().Contain(DeploymentAnnotations.Revision, "2");
    }
}
