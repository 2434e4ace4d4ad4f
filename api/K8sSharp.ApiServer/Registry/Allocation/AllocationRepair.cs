using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry.Allocation;

/// <summary>
/// Makes allocations match the Services after a crash or restart (upstream's repair controllers): IPAddresses and
/// node-port keys whose Service no longer holds them are freed, and what Services hold but is not recorded is
/// recorded. Runs at start-up and every three minutes.
/// </summary>
internal sealed class AllocationRepair(StoreRegistry registry, IStorage storage, ILogger<AllocationRepair> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await RepairAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Repairing service allocations failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RepairAsync(CancellationToken ct)
    {
        var services = await registry.For(registry.Catalog.Find("", "v1", "services")!).ListAsync(null, new ListRequest(), ct);
        var held = services.Items.Select(s => (Owner: ServiceRef.Of(s), Allocation: Allocation.Of(s))).ToList();
        await RepairIpsAsync(held, ct);
        await RepairPortsAsync(held, ct);
    }

    private async Task RepairIpsAsync(List<(ServiceRef Owner, Allocation Allocation)> held, CancellationToken ct)
    {
        var addresses = registry.For(registry.Catalog.Find("networking.k8s.io", "v1", "ipaddresses")!);
        var wanted = held.Where(h => h.Allocation.ClusterIp is not null).ToDictionary(h => h.Allocation.ClusterIp!, h => h.Owner);
        var recorded = (await addresses.ListAsync(null, new ListRequest(), ct)).Items;
        foreach (var ip in recorded.Where(a => ServiceRef.FromParentRef(a) is { } owner && (!wanted.TryGetValue(a.Name()!, out var w) || w != owner)))
        {
            await IgnoreNotFound(addresses.DeleteAsync(null, ip.Name()!, new DeleteRequest(), ct));
        }
        foreach (var (ip, owner) in wanted.Where(w => recorded.All(r => r.Name() != w.Key)))
        {
            await IgnoreConflict(addresses.CreateAsync(null, owner.IPAddressFor(ip), new WriteOptions(FieldManager: "k8ssharp-apiserver"), ct));
        }
    }

    private async Task RepairPortsAsync(List<(ServiceRef Owner, Allocation Allocation)> held, CancellationToken ct)
    {
        var wanted = held.SelectMany(h => h.Allocation.NodePorts.Select(p => (Port: p, h.Owner))).ToDictionary(p => NodePortAllocator.Key(p.Port), p => p.Owner);
        var recorded = (await storage.ListAsync(NodePortAllocator.Prefix, new ListOptions(), ct)).Items;
        foreach (var entry in recorded.Where(r => !wanted.TryGetValue(r.Key, out var owner) || owner != NodePortAllocator.Owner(r.Value)))
        {
            await IgnoreStorageRace(storage.DeleteAsync(entry.Key, entry.ModRevision, ct));
        }
        foreach (var (key, owner) in wanted.Where(w => recorded.All(r => r.Key != w.Key)))
        {
            await IgnoreStorageRace(storage.CreateAsync(key, NodePortAllocator.Value(owner), ct));
        }
    }

    private static async Task IgnoreNotFound(Task task)
    {
        try
        {
            await task;
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    private static async Task IgnoreConflict(Task task)
    {
        try
        {
            await task;
        }
        catch (ApiException e) when (e.Code == 409)
        {
        }
    }

    private static async Task IgnoreStorageRace(Task task)
    {
        try
        {
            await task;
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Conflict or StorageErrorKind.KeyExists)
        {
        }
    }
}
