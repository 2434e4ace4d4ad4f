using k8s;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.DaemonSets;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

public sealed class DaemonSetControllerTests : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private DaemonSetController controller = null!;

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    /// <summary>The controller, registered on the harness's informers; the recorder flushes when the test ends.</summary>
    private EventRecorder StartController()
    {
        var events = new EventRecorder(server.Client, "daemonset-controller");
        controller = new DaemonSetController(server.Client, events, TimeProvider.System, NullLogger.Instance);
        controller.Register(server.Informers);
        return events;
    }

    private static V1Node Node(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["role"] = "worker" } },
    };

    private static V1DaemonSet NewDaemonSet() => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent" },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } },
                Spec = new V1PodSpec
                {
                    NodeSelector = new Dictionary<string, string> { ["role"] = "worker" },
                    Containers = [new V1Container { Name = "c", Image = "busybox" }],
                },
            },
        },
    };

    [Fact]
    public async Task Reconcile_creates_one_pinned_pod_per_eligible_node_with_a_revision_and_status()
    {
        await server.Client.CoreV1.CreateNodeAsync(Node("n1"));
        await server.Client.CoreV1.CreateNodeAsync(Node("n2"));
        await server.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "other" } });
        var ds = await server.Client.AppsV1.CreateNamespacedDaemonSetAsync(NewDaemonSet(), Ns);
        await using var events = StartController();
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/agent", CancellationToken.None);

        var pods = (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items;
        pods.Select(DaemonPods.TargetNode).Should().BeEquivalentTo("n1", "n2");
        pods.Should().AllSatisfy(p =>
        {
            p.Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == ds.Metadata.Uid && r.Kind == "DaemonSet" && r.Controller == true);
            p.Metadata.Labels.Should().ContainKey("controller-revision-hash").And.Contain("pod-template-generation", "1");
        });
        var revision = (await server.Client.AppsV1.ListNamespacedControllerRevisionAsync(Ns)).Items.Should().ContainSingle().Subject;
        revision.Revision.Should().Be(1);
        revision.Metadata.Labels["controller-revision-hash"].Should().Be(pods[0].Metadata.Labels["controller-revision-hash"]);

        await Eventually.TrueAsync(() => controller.Expectations.Satisfied("default/agent"), "the informer observed the creates");
        await controller.ReconcileAsync("default/agent", CancellationToken.None);

        (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Should().HaveCount(2, "a second reconcile creates nothing more");
        var status = (await server.Client.AppsV1.ReadNamespacedDaemonSetStatusAsync("agent", Ns)).Status;
        (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.UpdatedNumberScheduled, status.NumberReady, status.ObservedGeneration)
            .Should().Be((2, 2, 2, 0, ds.Metadata.Generation));
    }
}
