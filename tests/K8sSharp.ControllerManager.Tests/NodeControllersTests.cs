using k8s;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.NodeIpam;
using K8sSharp.ControllerManager.NodeLifecycle;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>Node IPAM, node lifecycle and taint eviction against the real API server; the controllers' clock is virtual.</summary>
public sealed class NodeControllersTests : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    private EventRecorder NewRecorder() => new(server.Client, "test", time: time);

    private Informer<V1Node> NodeInformer => server.Informers.GetOrAdd(() => ListWatchers.For<V1Node>(server.Client));

    private Informer<V1Pod> PodInformer => server.Informers.GetOrAdd(() => ListWatchers.For<V1Pod>(server.Client));

    private Task<V1Node> CreateNodeAsync(string name) => server.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } });

    private async Task<V1Node> MakeReadyAsync(string name)
    {
        var heartbeat = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await server.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1LeaseSpec { HolderIdentity = name, LeaseDurationSeconds = 40, RenewTime = time.GetUtcNow().UtcDateTime },
        }, NodeLifecycleController.LeaseNamespace);
        return await server.Client.CoreV1.PatchNodeStatusAsync(new V1Patch(
            $$$"""{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"{{{heartbeat}}}","lastTransitionTime":"{{{heartbeat}}}"}]}}""",
            V1Patch.PatchType.MergePatch), name);
    }

    private async Task CreatePodOnAsync(string name, string node, V1Toleration[]? tolerations = null)
    {
        await server.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { NodeName = node, Tolerations = tolerations, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, Ns);
        await server.Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(
            """{"status":{"phase":"Running","podIP":"10.244.0.9","conditions":[{"type":"Ready","status":"True"}]}}""", V1Patch.PatchType.MergePatch), name, Ns);
    }

    [Fact]
    public async Task Nodes_get_distinct_pod_cidrs_and_a_full_range_reports_CIDRNotAvailable_until_a_node_goes()
    {
        await using var events = NewRecorder();
        var ipam = new NodeIpamController(server.Client, new CidrSet("10.244.0.0/23", 24), events, time, NullLogger.Instance);
        ipam.Register(server.Informers);
        await CreateNodeAsync("n1");
        await server.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "n0" }, Spec = new V1NodeSpec { PodCIDR = "10.244.0.0/24", PodCIDRs = ["10.244.0.0/24"] } });
        await CreateNodeAsync("n2");
        await server.StartInformersAsync();

        await ipam.ReconcileAsync("n1", CancellationToken.None);
        var n1 = await server.Client.CoreV1.ReadNodeAsync("n1");
        n1.Spec.PodCIDR.Should().Be("10.244.1.0/24", "10.244.0.0/24 was already taken by n0 when the controller started");
        n1.Spec.PodCIDRs.Should().Equal("10.244.1.0/24");

        await FluentActions.Awaiting(() => ipam.ReconcileAsync("n2", CancellationToken.None)).Should().ThrowAsync<InvalidOperationException>();
        await Eventually.TrueAsync(() => EventsAbout("n2").Any(e => e.Reason == "CIDRNotAvailable"), "the event was written");

        await server.Client.CoreV1.DeleteNodeAsync("n0");
        await Eventually.TrueAsync(() => NodeInformer.Lister.Get(null, "n0") is null, "the informer saw the delete");
        await ipam.ReconcileAsync("n0", CancellationToken.None);
        await ipam.ReconcileAsync("n2", CancellationToken.None);

        (await server.Client.CoreV1.ReadNodeAsync("n2")).Spec.PodCIDR.Should().Be("10.244.0.0/24");
    }

    private List<Corev1Event> EventsAbout(string name) =>
        [.. server.Client.CoreV1.ListNamespacedEvent(Ns).Items.Where(e => e.InvolvedObject.Name == name)];

    [Fact]
    public async Task A_silent_node_turns_unknown_gets_the_unreachable_taints_and_its_pods_turn_not_ready()
    {
        await using var events = NewRecorder();
        var lifecycle = new NodeLifecycleController(server.Client, events, new NodeHealthMonitor(TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(60)), time, NullLogger.Instance);
        lifecycle.Register(server.Informers);
        await CreateNodeAsync("n1");
        await CreateNodeAsync("n2");
        await MakeReadyAsync("n1");
        await MakeReadyAsync("n2");
        await CreatePodOnAsync("p", "n1");
        await server.StartInformersAsync();
        await Eventually.TrueAsync(() => NodeInformer.Lister.List().All(n => NodeHealthMonitor.Ready(n) is not null), "the informer saw both nodes ready");
        await Eventually.TrueAsync(() => PodInformer.Lister.Get(Ns, "p")?.Status?.Conditions?.Count > 0, "the informer saw the pod ready");

        await lifecycle.ReconcileAsync("n1", CancellationToken.None);
        await lifecycle.ReconcileAsync("n2", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(40));
        await lifecycle.ReconcileAsync("n1", CancellationToken.None);
        (await server.Client.CoreV1.ReadNodeAsync("n1")).Spec?.Taints.Should().BeNullOrEmpty("40 s of silence are within the grace period");

        time.Advance(TimeSpan.FromSeconds(1));
        await lifecycle.ReconcileAsync("n1", CancellationToken.None);

        var n1 = await server.Client.CoreV1.ReadNodeAsync("n1");
        n1.Status.Conditions.Single(c => c.Type == "Ready").Should().BeEquivalentTo(new { Status = "Unknown", Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status." });
        n1.Spec.Taints.Select(t => $"{t.Key}:{t.Effect}").Should().BeEquivalentTo([$"{NodeTaints.Unreachable}:NoSchedule", $"{NodeTaints.Unreachable}:NoExecute"]);
        n1.Spec.Taints.Single(t => t.Effect == "NoExecute").TimeAdded.Should().NotBeNull();
        var pod = await server.Client.CoreV1.ReadNamespacedPodAsync("p", Ns);
        pod.Status.Conditions.Single(c => c.Type == "Ready").Status.Should().Be("False");

        // The kubelet comes back: a new heartbeat, Ready again; the taints go.
        await Eventually.TrueAsync(() => NodeInformer.Lister.Get(null, "n1")?.Spec?.Taints?.Count == 2, "the informer saw the taints");
        time.Advance(TimeSpan.FromSeconds(5));
        await MakeReadyAgainAsync("n1");
        await Eventually.TrueAsync(() => NodeHealthMonitor.Ready(NodeInformer.Lister.Get(null, "n1")!)?.Status == "True", "the informer saw n1 ready");
        await lifecycle.ReconcileAsync("n1", CancellationToken.None);

        (await server.Client.CoreV1.ReadNodeAsync("n1")).Spec?.Taints.Should().BeNullOrEmpty();
    }

    private Task<V1Node> MakeReadyAgainAsync(string name)
    {
        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return server.Client.CoreV1.PatchNodeStatusAsync(new V1Patch(
            $$$"""{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"{{{now}}}","lastTransitionTime":"{{{now}}}"}]}}""",
            V1Patch.PatchType.MergePatch), name);
    }

    [Fact]
    public async Task NoExecute_taints_evict_intolerant_pods_at_once_and_tolerating_ones_after_their_seconds_unless_removed_in_time()
    {
        await using var events = NewRecorder();
        var eviction = new TaintEvictionController(server.Client, events, time, NullLogger.Instance);
        eviction.Register(server.Informers);
        await CreateNodeAsync("n1");
        var tolerate60 = new V1Toleration { Key = "example.com/maintenance", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 60 };
        await CreatePodOnAsync("intolerant", "n1");
        await CreatePodOnAsync("patient", "n1", [tolerate60]);
        await server.StartInformersAsync();
        await SetTaintAsync("n1", "example.com/maintenance");

        await eviction.ReconcileAsync("default/intolerant", CancellationToken.None);
        await eviction.ReconcileAsync("default/patient", CancellationToken.None);
        (await PodNamesAsync()).Should().BeEquivalentTo(["patient"]);

        time.Advance(TimeSpan.FromSeconds(59));
        await eviction.ReconcileAsync("default/patient", CancellationToken.None);
        (await PodNamesAsync()).Should().BeEquivalentTo(["patient"]);
        time.Advance(TimeSpan.FromSeconds(1));
        await eviction.ReconcileAsync("default/patient", CancellationToken.None);
        (await PodNamesAsync()).Should().BeEmpty();

        await CreatePodOnAsync("rescued", "n1", [tolerate60]);
        await Eventually.TrueAsync(() => PodInformer.Lister.Get(Ns, "rescued") is not null, "the informer saw the pod");
        await eviction.ReconcileAsync("default/rescued", CancellationToken.None);
        await SetTaintAsync("n1", null);
        time.Advance(TimeSpan.FromSeconds(61));
        await eviction.ReconcileAsync("default/rescued", CancellationToken.None);
        (await PodNamesAsync()).Should().BeEquivalentTo(["rescued"], "the taint was removed before its toleration ran out");
        await Eventually.TrueAsync(() => EventsAbout("rescued").Any(e => e.Reason == "TaintManagerEviction" && e.Message.StartsWith("Cancelling", StringComparison.Ordinal)), "the cancellation was recorded");
    }

    private async Task SetTaintAsync(string node, string? key)
    {
        var taints = key is null ? "null" : $$$"""[{"key":"{{{key}}}","effect":"NoExecute"}]""";
        await server.Client.CoreV1.PatchNodeAsync(new V1Patch($$$"""{"spec":{"taints":{{{taints}}}}}""", V1Patch.PatchType.MergePatch), node);
        await Eventually.TrueAsync(() => (NodeInformer.Lister.Get(null, node)?.Spec?.Taints?.Count ?? 0) == (key is null ? 0 : 1), "the informer saw the taints");
    }

    private async Task<List<string>> PodNamesAsync() =>
        [.. (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name)];
}
