using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.ServiceAccounts;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.ControllerManager.Tests;

public sealed class ServiceAccountsControllerTests : IAsyncLifetime
{
    private readonly ApiServerHarness server = new();
    private ServiceAccountsController controller = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        controller = new ServiceAccountsController(server.Client, TimeProvider.System, NullLogger.Instance);
        controller.Register(server.Informers);
    }

    public Task DisposeAsync() => server.DisposeAsync();

    private Task<V1Namespace> CreateNamespaceAsync(string name) =>
        server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });

    [Fact]
    public async Task Reconcile_creates_the_default_service_account_of_a_namespace()
    {
        await CreateNamespaceAsync("team-a");
        await server.StartInformersAsync();

        await controller.ReconcileAsync("team-a", CancellationToken.None);

        var sa = await server.Client.CoreV1.ReadNamespacedServiceAccountAsync("default", "team-a");
        sa.Metadata.NamespaceProperty.Should().Be("team-a");
    }

    [Fact]
    public async Task Reconcile_of_an_unknown_namespace_writes_nothing()
    {
        await server.StartInformersAsync();

        await controller.ReconcileAsync("no-such-namespace", CancellationToken.None);

        var all = await server.Client.CoreV1.ListServiceAccountForAllNamespacesAsync();
        all.Items.Should().NotContain(sa => sa.Metadata.NamespaceProperty == "no-such-namespace");
    }

    [Fact]
    public async Task Deleting_the_default_service_account_enqueues_its_namespace_and_it_is_recreated()
    {
        await CreateNamespaceAsync("team-b");
        await server.Client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default" } }, "team-b");
        await server.StartInformersAsync();
        await DrainAsync();

        await server.Client.CoreV1.DeleteNamespacedServiceAccountAsync("default", "team-b");
        await Eventually.TrueAsync(() => controller.Queue.Length == 1, "the delete enqueued the namespace");
        var key = await controller.Queue.GetAsync();
        key.Should().Be("team-b");
        await controller.ReconcileAsync(key!, CancellationToken.None);
        controller.Queue.Done(key!);

        (await server.Client.CoreV1.ReadNamespacedServiceAccountAsync("default", "team-b")).Should().NotBeNull();
    }

    /// <summary>Takes the keys the initial list enqueued (one per namespace) off the queue without reconciling them.</summary>
    private async Task DrainAsync()
    {
        while (controller.Queue.Length > 0)
        {
            var key = await controller.Queue.GetAsync();
            controller.Queue.Done(key!);
        }
    }
}
