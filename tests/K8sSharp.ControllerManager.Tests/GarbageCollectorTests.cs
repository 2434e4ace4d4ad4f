using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.GarbageCollection;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The garbage collector running against our in-process API server: the three propagation policies.</summary>
public sealed class GarbageCollectorTests : IAsyncLifetime, IDisposable
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        var collector = new GarbageCollector(server.Client, TimeProvider.System, NullLogger.Instance);
        running = collector.RunAsync(2, stop.Token);
        await collector.Synced.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        await server.DisposeAsync();
    }

    public void Dispose() => stop.Dispose();

    private async Task<V1ConfigMap> CreateAsync(string name, V1ConfigMap? owner = null, bool block = false, string? finalizer = null)
    {
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Finalizers = finalizer is null ? null : [finalizer],
                OwnerReferences = owner is null ? null :
                [
                    new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, BlockOwnerDeletion = block },
                ],
            },
        };
        return await server.Client.CoreV1.CreateNamespacedConfigMapAsync(map, Ns);
    }

    private async Task<V1ConfigMap?> GetAsync(string name)
    {
        try
        {
            return await server.Client.CoreV1.ReadNamespacedConfigMapAsync(name, Ns);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task UntilAsync(Func<Task<bool>> condition, string because)
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
    public async Task Background_deletion_collects_dependents_and_objects_whose_owner_never_existed()
    {
        var owner = await CreateAsync("bg-owner");
        await CreateAsync("bg-dependent", owner);
        var phantom = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bg-phantom-owner", Uid = Guid.NewGuid().ToString() } };
        await CreateAsync("bg-dangling", phantom);

        await server.Client.CoreV1.DeleteNamespacedConfigMapAsync("bg-owner", Ns, propagationPolicy: "Background");

        await UntilAsync(async () => await GetAsync("bg-dependent") is null, "the dependent is collected");
        await UntilAsync(async () => await GetAsync("bg-dangling") is null, "the dependent of a uid that never existed is collected");
    }

    [Fact]
    public async Task A_dependent_with_another_live_owner_survives_and_loses_only_the_dead_reference()
    {
        var first = await CreateAsync("multi-a");
        var second = await CreateAsync("multi-b");
        var dependent = await CreateAsync("multi-dependent", first);
        dependent.Metadata.OwnerReferences.Add(new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "multi-b", Uid = second.Metadata.Uid });
        await server.Client.CoreV1.ReplaceNamespacedConfigMapAsync(dependent, "multi-dependent", Ns);

        await server.Client.CoreV1.DeleteNamespacedConfigMapAsync("multi-a", Ns);

        await UntilAsync(async () => (await GetAsync("multi-dependent"))?.Metadata.OwnerReferences?.Count == 1, "the reference to the deleted owner is removed");
        (await GetAsync("multi-dependent"))!.Metadata.OwnerReferences.Single().Uid.Should().Be(second.Metadata.Uid);
    }

    [Fact]
    public async Task Orphan_deletion_removes_the_owner_and_keeps_dependents_without_the_reference()
    {
        var owner = await CreateAsync("orphan-owner");
        await CreateAsync("orphan-dependent", owner);

        await server.Client.CoreV1.DeleteNamespacedConfigMapAsync("orphan-owner", Ns, propagationPolicy: "Orphan");

        await UntilAsync(async () => await GetAsync("orphan-owner") is null, "the owner goes once its dependents are orphaned");
        var dependent = await GetAsync("orphan-dependent");
        dependent.Should().NotBeNull();
        dependent!.Metadata.OwnerReferences.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task Foreground_deletion_waits_for_blocking_dependents_only()
    {
        var owner = await CreateAsync("fg-owner");
        await CreateAsync("fg-blocking", owner, block: true, finalizer: "example.com/hold");
        await CreateAsync("fg-free", owner, block: false);

        await server.Client.CoreV1.DeleteNamespacedConfigMapAsync("fg-owner", Ns, propagationPolicy: "Foreground");

        await UntilAsync(async () => await GetAsync("fg-free") is null, "the non-blocking dependent is deleted");
        await UntilAsync(async () => (await GetAsync("fg-blocking"))?.Metadata.DeletionTimestamp is not null, "the blocking dependent is being deleted");
        (await GetAsync("fg-owner"))!.Metadata.Finalizers.Should().Contain("foregroundDeletion", "a blocking dependent remains");

        var held = (await GetAsync("fg-blocking"))!;
        held.Metadata.Finalizers = null;
        await server.Client.CoreV1.ReplaceNamespacedConfigMapAsync(held, "fg-blocking", Ns);

        await UntilAsync(async () => await GetAsync("fg-owner") is null, "the owner goes after its blocking dependent");
    }
}
