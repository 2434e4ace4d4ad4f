using k8s;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Scheduler.Hosting;
using K8sSharp.Scheduler.Queue;
using K8sSharp.Scheduler.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace K8sSharp.Scheduler.Tests;

/// <summary>The scheduler wired as in production (informers, KubernetesClient writes) against our real API server in-process, binding pods to fake nodes.</summary>
public sealed class EndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private readonly CancellationTokenSource stop = new();
    private EventRecorder events = null!;
    private SchedulingQueue queue = null!;
    private Scheduling.Scheduler scheduler = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        events = new EventRecorder(server.Client, "default-scheduler");
        scheduler = SchedulerRuntime.Create(server.Informers, server.Client, "default-scheduler", new KubernetesSchedulerApi(server.Client, events),
            new SchedulerMetrics(Metrics.NewCustomRegistry()), TimeProvider.System, NullLogger.Instance, out queue);
        await server.StartInformersAsync();
        running = Task.WhenAll(scheduler.RunAsync(stop.Token), queue.RunFlushesAsync(stop.Token));
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        queue.Dispose();
        scheduler.Dispose();
        await events.DisposeAsync();
        await server.DisposeAsync();
    }

    public void Dispose() => stop.Dispose();

    private async Task CreateNodeAsync(string name, string cpu, IDictionary<string, string>? labels = null)
    {
        await server.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name, Labels = labels } });
        var resources = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("8Gi"), ["pods"] = new("110") };
        var status = KubernetesJson.Serialize(new { status = new V1NodeStatus { Allocatable = resources, Capacity = resources } });
        await server.Client.CoreV1.PatchNodeStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch), name);
    }

    private Task<V1Pod> CreatePodAsync(string name, string cpu, IDictionary<string, string>? nodeSelector = null) =>
        server.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                NodeSelector = nodeSelector,
                Containers = [new V1Container { Name = "c", Image = "busybox", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } } }],
            },
        }, Ns);

    private async Task<IList<V1Pod>> PodsAsync() => (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items;

    private async Task EventuallyAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Pods_are_bound_within_node_capacity_and_a_pod_too_big_is_reported_unschedulable()
    {
        await CreateNodeAsync("n1", "2", new Dictionary<string, string> { ["disk"] = "ssd" });
        await CreateNodeAsync("n2", "2");
        await CreateNodeAsync("n3", "2");
        for (var i = 0; i < 9; i++)
        {
            await CreatePodAsync($"p{i}", "500m");
        }
        await CreatePodAsync("ssd", "100m", new Dictionary<string, string> { ["disk"] = "ssd" });
        await CreatePodAsync("big", "3");

        await EventuallyAsync(async () => (await PodsAsync()).Count(p => p.Spec.NodeName is not null) == 10, "the ten pods that fit are bound");
        var pods = await PodsAsync();
        pods.Single(p => p.Metadata.Name == "ssd").Spec.NodeName.Should().Be("n1");
        pods.Where(p => p.Spec.NodeName is not null).GroupBy(p => p.Spec.NodeName)
            .Should().OnlyContain(g => g.Sum(p => p.Spec.Containers[0].Resources.Requests["cpu"].ToDecimal()) <= 2m, "no node is overcommitted");
        pods.Where(p => p.Spec.NodeName is not null).Should().OnlyContain(p => p.Status.Conditions.Any(c => c.Type == "PodScheduled" && c.Status == "True"));

        await EventuallyAsync(async () => (await PodsAsync()).Single(p => p.Metadata.Name == "big").Status.Conditions?
            .Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") == true, "big is marked unschedulable");
        var big = (await PodsAsync()).Single(p => p.Metadata.Name == "big");
        big.Spec.NodeName.Should().BeNull();
        big.Status.Conditions.Single(c => c.Type == "PodScheduled").Message.Should().StartWith("0/3 nodes are available: 3 Insufficient cpu.");
        await EventuallyAsync(async () => (await server.Client.CoreV1.ListNamespacedEventAsync(Ns)).Items.Count(e => e.Reason == "Scheduled") == 10,
            "every bound pod has a Scheduled event");
    }

    [Fact]
    public async Task A_pod_waiting_for_room_is_bound_once_a_node_appears()
    {
        await CreatePodAsync("early", "1");
        await EventuallyAsync(async () => (await PodsAsync()).Single().Status.Conditions?.Any(c => c.Reason == "Unschedulable") == true, "early is unschedulable without nodes");

        await CreateNodeAsync("late", "4");

        await EventuallyAsync(async () => (await PodsAsync()).Single().Spec.NodeName == "late", "early is bound to the new node");
    }
}
