using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry.Admission;

/// <summary>
/// The Priority admission plugin for pods (upstream's plugin/pkg/admission/priority), for the classes that
/// <c>PodAdmissionDefaults</c> does not resolve itself (it knows only the two system classes and the empty name):
/// <c>spec.priorityClassName</c> is looked up among the PriorityClass objects and its value becomes
/// <c>spec.priority</c> (its preemptionPolicy, when set, the pod's); an unknown class is a 403, as upstream.
/// A globalDefault class is not applied to pods without a class name (they keep priority 0).
/// </summary>
internal sealed class PodPriorityAdmission(StoreRegistry registry) : IStoreHooks
{
    private static readonly Func<bool, Task> Nothing = _ => Task.CompletedTask;

    public async Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct)
    {
        if (obj["spec"] is not JsonObject spec || spec["priority"] is not null
            || (string?)spec["priorityClassName"] is not { Length: > 0 } className)
        {
            return Nothing;
        }
        var priorityClass = await FindAsync(className, ct)
            ?? throw ApiException.Forbidden($"pods \"{obj.Name()}\" is forbidden: no PriorityClass with name {className} was found");
        spec["priority"] = priorityClass["value"]?.DeepClone() ?? 0;
        if (priorityClass["preemptionPolicy"] is JsonValue policy)
        {
            spec["preemptionPolicy"] = policy.DeepClone();
        }
        return Nothing;
    }

    public Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct) => Task.FromResult(Nothing);

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct) => Task.CompletedTask;

    private async Task<JsonObject?> FindAsync(string name, CancellationToken ct)
    {
        var store = registry.For(registry.Catalog.Find("scheduling.k8s.io", "v1", "priorityclasses")!);
        if (store.TryGetCached(null, name) is { } cached)
        {
            return cached;
        }
        try
        {
            return await store.GetAsync(null, name, ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
