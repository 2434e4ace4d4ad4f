using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.ResourceQuotas;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The resource-quota controller against our real API server (which runs quota admission too).</summary>
public sealed class ResourceQuotaControllerTests : IAsyncLifetime
{
    private readonly ApiServerHarness server = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private ResourceQuotaController controller = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        controller = new ResourceQuotaController(server.Client, TimeSpan.FromMinutes(5), time, NullLogger.Instance);
        controller.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    private Task<V1Pod> CreatePodAsync(string name, string cpu) => server.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container
            {
                Name = "c", Image = "busybox:1.36",
                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
            }],
        },
    }, "team");

    private Task<V1ResourceQuota> CreateQuotaAsync(Dictionary<string, string> hard) => server.Client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
    {
        Metadata = new V1ObjectMeta { Name = "q" },
        Spec = new V1ResourceQuotaSpec { Hard = hard.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)) },
    }, "team");

    private async Task<Dictionary<string, string>> UsedAsync()
    {
        var quota = await server.Client.CoreV1.ReadNamespacedResourceQuotaAsync("q", "team");
        return quota.Status.Used.ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    private async Task ReconcileQueuedAsync()
    {
        await Eventually.TrueAsync(() => controller.Queue.Length > 0, "a quota key was queued");
        while (controller.Queue.Length > 0)
        {
            var key = await controller.Queue.GetAsync();
            await controller.ReconcileAsync(key!, CancellationToken.None);
            controller.Queue.Done(key!);
        }
    }

    [Fact]
    public async Task ANewQuotaGetsItsHardAndTheUsageOfEveryChargedObject()
    {
        await CreatePodAsync("running", "250m");
        var done = await CreatePodAsync("done", "1");
        done.Status = new V1PodStatus { Phase = "Succeeded" };
        await server.Client.CoreV1.ReplaceNamespacedPodStatusAsync(done, "done", "team");
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" } }, "team");
        await CreateQuotaAsync(new() { ["pods"] = "5", ["count/pods"] = "5", ["requests.cpu"] = "2", ["configmaps"] = "3", ["count/deployments.apps"] = "1" });
        await server.StartInformersAsync();

        await ReconcileQueuedAsync();

        var quota = await server.Client.CoreV1.ReadNamespacedResourceQuotaAsync("q", "team");
        quota.Status.Hard.Keys.Should().BeEquivalentTo("pods", "count/pods", "requests.cpu", "configmaps", "count/deployments.apps");
        (await UsedAsync()).Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["pods"] = "1", ["count/pods"] = "2", ["requests.cpu"] = "250m", ["configmaps"] = "1", ["count/deployments.apps"] = "0",
        });
    }

    [Fact]
    public async Task DeletingAPodReleasesItsUsage()
    {
        await CreatePodAsync("a", "100m");
        await CreatePodAsync("b", "100m");
        await CreateQuotaAsync(new() { ["pods"] = "2" });
        await server.StartInformersAsync();
        await ReconcileQueuedAsync();
        (await UsedAsync())["pods"].Should().Be("2");

        await server.Client.CoreV1.DeleteNamespacedPodAsync("a", "team", new V1DeleteOptions { GracePeriodSeconds = 0 });
        await Eventually.TrueAsync(() => controller.Queue.Length > 0, "the delete enqueued the namespace's quota");
        await ReconcileQueuedAsync();

        (await UsedAsync())["pods"].Should().Be("1");
    }

    [Fact]
    public async Task EveryQuotaIsRecalculatedAfterTheResyncPeriod()
    {
        await CreateQuotaAsync(new() { ["pods"] = "2" });
        await server.StartInformersAsync();
        await ReconcileQueuedAsync();
        controller.Queue.Length.Should().Be(0);

        time.Advance(TimeSpan.FromMinutes(4));
        controller.Queue.Length.Should().Be(0, "the period has not passed");
        time.Advance(TimeSpan.FromMinutes(1));

        controller.Queue.Length.Should().Be(1);
    }
}
