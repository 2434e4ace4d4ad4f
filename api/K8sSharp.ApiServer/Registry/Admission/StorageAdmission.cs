using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry.Admission;

/// <summary>
/// Admission for PersistentVolumeClaims and PersistentVolumes on create, as upstream's plugins:
/// DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault) gives a claim without
/// <c>spec.storageClassName</c> (absent, not "") the default class: the StorageClass annotated
/// <c>storageclass.kubernetes.io/is-default-class: "true"</c> (or the beta annotation), the newest when several are,
/// ties broken by name; none leaves the claim without a class. StorageObjectInUseProtection
/// (plugin/pkg/admission/storage/storageobjectinuseprotection) adds the <c>kubernetes.io/pvc-protection</c> or
/// <c>kubernetes.io/pv-protection</c> finalizer, which the protection controllers remove once the object is unused.
/// </summary>
internal sealed class StorageAdmission(StoreRegistry registry, bool claims) : IStoreHooks
{
    private static readonly Func<bool, Task> Nothing = _ => Task.CompletedTask;
    private static readonly string[] DefaultClassAnnotations =
        ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];

    public async Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct)
    {
        AddFinalizer(obj, claims ? "kubernetes.io/pvc-protection" : "kubernetes.io/pv-protection");
        if (claims && obj["spec"] is JsonObject spec && !spec.ContainsKey("storageClassName") && await DefaultClassAsync(ct) is { } name)
        {
            spec["storageClassName"] = name;
        }
        return Nothing;
    }

    public Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct) => Task.FromResult(Nothing);

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct) => Task.CompletedTask;

    private static void AddFinalizer(JsonObject obj, string finalizer)
    {
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        var finalizers = metadata["finalizers"] as JsonArray ?? new JsonArray();
        metadata["finalizers"] = finalizers;
        if (!finalizers.Any(f => (string?)f == finalizer))
        {
            finalizers.Add(finalizer);
        }
    }

    /// <summary>The newest default StorageClass (upstream GetDefaultClass), or null.</summary>
    private async Task<string?> DefaultClassAsync(CancellationToken ct)
    {
        var store = registry.For(registry.Catalog.Find("storage.k8s.io", "v1", "storageclasses")!);
        var page = await store.ListAsync(null, new ListRequest(), ct);
        return page.Items
            .Where(IsDefault)
            .OrderByDescending(c => (string?)c["metadata"]?["creationTimestamp"], StringComparer.Ordinal)
            .ThenBy(c => c.Name(), StringComparer.Ordinal)
            .Select(c => c.Name())
            .FirstOrDefault();
    }

    private static bool IsDefault(JsonObject storageClass) =>
        storageClass["metadata"]?["annotations"] is JsonObject annotations
        && DefaultClassAnnotations.Any(a => (string?)annotations[a] == "true");
}
