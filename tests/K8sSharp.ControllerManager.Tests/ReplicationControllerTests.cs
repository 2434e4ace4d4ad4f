using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.ReplicationControllers;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The ReplicationController manager: the ReplicaSet reconcile over ReplicationControllers seen as ReplicaSets.</summary>
public sealed class ReplicationControllerTests : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private ReplicaSetController controller = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        controller = new ReplicaSetController(server.Client, new ReplicationControllerSource(server.Client), TimeProvider.System, NullLogger.Instance);
        controller.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public void The_replica_set_view_carries_selector_template_and_status()
    {
        var rc = new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "rc", Uid = "u" },
            Spec = new V1ReplicationControllerSpec
            {
                Replicas = 2,
                MinReadySeconds = 5,
                Selector = new Dictionary<string, string> { ["app"] = "rc" },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "rc" } } },
            },
            Status = new V1ReplicationControllerStatus
            {
                Replicas = 2, ReadyReplicas = 1, AvailableReplicas = 1, FullyLabeledReplicas = 2, ObservedGeneration = 3,
                Conditions = [new V1ReplicationControllerCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate" }],
            },
        };

        var rs = ReplicationControllerSource.AsReplicaSet(rc);

        rs.Metadata.Should().BeSameAs(rc.Metadata);
        rs.Spec.Selector.MatchLabels.Should().Equal(rc.Spec.Selector);
        (rs.Spec.Replicas, rs.Spec.MinReadySeconds, rs.Spec.Template).Should().Be((2, 5, rc.Spec.Template));
        (rs.Status.Replicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas, rs.Status.FullyLabeledReplicas, rs.Status.ObservedGeneration)
            .Should().Be((2, 1, 1, 2, 3L));
        rs.Status.Conditions.Should().ContainSingle(c => c.Type == "ReplicaFailure" && c.Reason == "FailedCreate");
    }

    [Fact]
    public async Task Reconcile_creates_pods_controlled_by_the_replication_controller_and_reports_status()
    {
        var rc = await server.Client.CoreV1.CreateNamespacedReplicationControllerAsync(new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ReplicationControllerSpec
            {
                Replicas = 2,
                Selector = new Dictionary<string, string> { ["app"] = "web-rc" },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web-rc" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        }, Ns);
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/web", CancellationToken.None);

        var pods = (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items;
        pods.Should().HaveCount(2).And.AllSatisfy(p => p.Metadata.OwnerReferences.Should().ContainSingle(r =>
            r.ApiVersion == "v1" && r.Kind == "ReplicationController" && r.Uid == rc.Metadata.Uid && r.Controller == true && r.BlockOwnerDeletion == true));
        await Eventually.TrueAsync(() => controller.Expectations.Satisfied("default/web"), "the informer observed the creates");
        await controller.ReconcileAsync("default/web", CancellationToken.None);
        var status = (await server.Client.CoreV1.ReadNamespacedReplicationControllerStatusAsync("web", Ns)).Status;
        (status.Replicas, status.FullyLabeledReplicas, status.ObservedGeneration).Should().Be((2, 2, rc.Metadata.Generation));
    }
}
