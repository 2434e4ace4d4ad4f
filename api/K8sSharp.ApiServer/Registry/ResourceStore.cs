using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Apply;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Conversion;
using K8sSharp.ApiServer.Serialization;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// The one generic store (upstream's <c>genericregistry.Store</c>): metadata bookkeeping, preconditions and 409s,
/// finalizers and graceful deletion, dry-run, list paging and selection, watch. Kinds only contribute an
/// <see cref="IResourceStrategy"/>. Objects are stored as JSON without <c>metadata.resourceVersion</c>; reads set
/// it from the storage revision.
/// </summary>
internal sealed partial class ResourceStore
{
    private readonly IStorage storage;
    private readonly ResourceKeys keys;
    private readonly TimeProvider time;
    private readonly Func<string, CancellationToken, Task<JsonObject?>> getNamespace;
    private readonly IStorageConverter? converter;

    public ResourceStore(ApiResource resource, IResourceStrategy strategy, IStorage storage, TimeProvider time,
        Func<string, CancellationToken, Task<JsonObject?>> getNamespace, StorageLayout layout)
    {
        Resource = resource;
        Strategy = strategy;
        this.storage = storage;
        this.time = time;
        this.getNamespace = getNamespace;
        keys = new ResourceKeys(layout.StorageResource);
        converter = layout.Converter;
    }

    public ApiResource Resource { get; }

    /// <summary>The kind's write hooks, set once when the registry builds the store.</summary>
    public IStoreHooks? Hooks { get; init; }

    public IResourceStrategy Strategy { get; }

    public async Task<JsonObject> GetAsync(string? ns, string name, CancellationToken ct)
    {
        var stored = await storage.GetAsync(keys.Key(ns, name), ct) ?? throw NotFound(name);
        return Decode(stored.Value, stored.ModRevision);
    }

    /// <summary>The watch cache's copy of an object, possibly a little stale; null when not cached or absent.</summary>
    public JsonObject? TryGetCached(string? ns, string name) =>
        storage is CachedStorage cache && cache.TryGetCached(keys.Key(ns, name), out var stored) && stored is not null
            ? Decode(stored.Value, stored.ModRevision)
            : null;

    public async Task<JsonObject> CreateAsync(string? ns, JsonObject obj, WriteOptions options, CancellationToken ct)
    {
        PrepareMetadataForCreate(obj, ns);
        Strategy.PrepareForCreate(obj);
        if (options.FieldManager is { } manager)
        {
            ManagedFields.UpdateForWrite(null, obj, manager, FieldManagerContext(Strategy));
        }
        ThrowIfInvalid(obj, Strategy.Validate(obj));
        var name = obj.Name()!;
        if (Resource.Namespaced)
        {
            await EnsureNamespaceAcceptsWritesAsync(ns!, name, ct);
        }
        var finish = Hooks is null ? null : await Hooks.BeginCreateAsync(obj, options.DryRun, ct);
        var stored = false;
        try
        {
            var created = await StoreCreatedAsync(ns, name, obj, options.DryRun, ct);
            stored = true;
            return created;
        }
        finally
        {
            await (finish?.Invoke(stored) ?? Task.CompletedTask);
        }
    }

    private async Task<JsonObject> StoreCreatedAsync(string? ns, string name, JsonObject obj, bool dryRun, CancellationToken ct)
    {
        if (dryRun)
        {
            if (await storage.GetAsync(keys.Key(ns, name), ct) is not null)
            {
                throw ApiException.AlreadyExists(Resource.Group, Resource.Name, name);
            }
            return obj;
        }
        try
        {
            var stored = await storage.CreateAsync(keys.Key(ns, name), Encode(obj), ct);
            return WithResourceVersion(obj, stored.ModRevision);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.KeyExists)
        {
            throw ApiException.AlreadyExists(Resource.Group, Resource.Name, name);
        }
    }

    /// <summary>
    /// Replaces the object (PUT). A body without resourceVersion is an unconditional update; with one, a stale
    /// value is a 409. An update that leaves the object unchanged writes nothing and keeps its resourceVersion.
    /// </summary>
    public Task<JsonObject> UpdateAsync(string? ns, string name, JsonObject obj, WriteOptions options, IResourceStrategy strategy, CancellationToken ct)
    {
        var expected = ParseResourceVersion(obj.ResourceVersion());
        return GuaranteedUpdateAsync(ns, name, expected, options.DryRun, strategy, _ => obj.DeepClone().AsObject(), ct, fieldManager: options.FieldManager);
    }

    /// <summary>
    /// Reads the current object, applies <paramref name="mutate"/> to a copy and writes it back with a compare on
    /// its revision; retries on a lost race unless the caller pinned <paramref name="expectedRevision"/>.
    /// </summary>
    /// <param name="systemWrite">A write by the server itself (deletion bookkeeping) that may set fields clients cannot.</param>
    /// <param name="fieldManager">The manager a client write is recorded for in managedFields (an Update entry); null
    /// when the caller tracks ownership itself (server-side apply) or for system writes.</param>
    public async Task<JsonObject> GuaranteedUpdateAsync(string? ns, string name, long expectedRevision, bool dryRun,
        IResourceStrategy strategy, Func<JsonObject, JsonObject> mutate, CancellationToken ct, bool systemWrite = false, string? fieldManager = null)
    {
        var key = keys.Key(ns, name);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await storage.GetAsync(key, ct) ?? throw NotFound(name);
            if (expectedRevision > 0 && expectedRevision != stored.ModRevision)
            {
                throw ApiException.StaleObject(Resource.Group, Resource.Name, name);
            }
            var current = Decode(stored.Value, stored.ModRevision);
            var updated = mutate(current.DeepClone().AsObject());
            if (!systemWrite)
            {
                PrepareMetadataForUpdate(updated, current, ns, name);
            }
            updated.Metadata().Remove("resourceVersion");
            strategy.PrepareForUpdate(updated, current);
            BumpGenerationIfSpecChanged(updated, current, strategy);
            if (fieldManager is not null && !systemWrite)
            {
                ManagedFields.UpdateForWrite(current, updated, fieldManager, FieldManagerContext(strategy));
            }
            ThrowIfInvalid(updated, strategy.ValidateUpdate(updated, current));
            var result = await WriteUpdateWithHooksAsync(key, updated, current, stored, dryRun, ct);
            if (result is not null)
            {
                return result;
            }
            if (expectedRevision > 0 || attempt >= 16)
            {
                throw ApiException.StaleObject(Resource.Group, Resource.Name, name);
            }
        }
    }

    private async Task<JsonObject?> WriteUpdateWithHooksAsync(string key, JsonObject updated, JsonObject current, StoredValue stored, bool dryRun, CancellationToken ct)
    {
        var finish = Hooks is null || updated.IsBeingDeleted() ? null : await Hooks.BeginUpdateAsync(updated, current, dryRun, ct);
        JsonObject? result = null;
        try
        {
            result = await WriteUpdateAsync(key, updated, current, stored, dryRun, ct);
            return result;
        }
        finally
        {
            await (finish?.Invoke(result is not null) ?? Task.CompletedTask);
        }
    }

    /// <returns>The stored result, or null when another writer won the race (the caller retries).</returns>
    private async Task<JsonObject?> WriteUpdateAsync(string key, JsonObject updated, JsonObject current, StoredValue stored, bool dryRun, CancellationToken ct)
    {
        if (IsUnchanged(updated, current))
        {
            return current;
        }
        var bytes = Encode(updated);
        if (updated.IsBeingDeleted() && !updated.HasFinalizers() && !Strategy.HoldsDeletion(updated))
        {
            return dryRun ? updated : await DeleteStoredAsync(key, stored, ct);
        }
        if (dryRun)
        {
            return WithResourceVersion(updated, stored.ModRevision);
        }
        try
        {
            var written = await storage.UpdateAsync(key, bytes, stored.ModRevision, ct);
            return WithResourceVersion(updated, written.ModRevision);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.Conflict)
        {
            return null;
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
        {
            throw NotFound(updated.Name()!);
        }
    }

    /// <summary>Compares ignoring property order and the resourceVersion only the read copy carries.</summary>
    private static bool IsUnchanged(JsonObject updated, JsonObject current)
    {
        var currentMetadata = current.Metadata();
        var revision = currentMetadata["resourceVersion"];
        currentMetadata.Remove("resourceVersion");
        var unchanged = JsonNode.DeepEquals(updated, current);
        currentMetadata["resourceVersion"] = revision;
        return unchanged;
    }

    private async Task<JsonObject?> DeleteStoredAsync(string key, StoredValue stored, CancellationToken ct)
    {
        try
        {
            var deleted = await storage.DeleteAsync(key, stored.ModRevision, ct);
            var last = Decode(deleted.Value, deleted.ModRevision);
            await (Hooks?.AfterDeleteAsync(last, ct) ?? Task.CompletedTask);
            return last;
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.Conflict)
        {
            return null;
        }
    }

    /// <summary>
    /// How writes through <paramref name="strategy"/> track ownership: the kind's schema, and the reset fields of the
    /// endpoint (upstream's ResetFieldsStrategy): the main resource of a kind with a status subresource does not own
    /// <c>.status</c>, the status subresource does not own <c>.spec</c>.
    /// </summary>
    public FieldManagerContext FieldManagerContext(IResourceStrategy strategy)
    {
        var schema = SchemaIndex.BuiltIn.ForKind(Resource.Gvk);
        if (strategy is StatusStrategy)
        {
            return new(schema, SchemaIndex.BuiltIn, time.GetUtcNow(), FieldSet.Of([PathElement.Field("spec")]), "status");
        }
        var reset = Resource.HasSubresource("status") ? FieldSet.Of([PathElement.Field("status")]) : null;
        return new(schema, SchemaIndex.BuiltIn, time.GetUtcNow(), reset);
    }

    private async Task EnsureNamespaceAcceptsWritesAsync(string ns, string name, CancellationToken ct)
    {
        var namespaceObject = await getNamespace(ns, ct) ?? throw ApiException.NotFound("", "namespaces", ns);
        if ((string?)namespaceObject["status"]?["phase"] == "Terminating")
        {
            throw new ApiException(403, "Forbidden",
                $"{Resource.Name} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private void ThrowIfInvalid(JsonObject obj, IEnumerable<StatusCause> causes)
    {
        var list = causes.ToList();
        if (list.Count > 0)
        {
            throw ApiException.Invalid(Resource.Group, Resource.Kind, obj.Name() ?? string.Empty, list);
        }
    }

    public ApiException NotFound(string name) => ApiException.NotFound(Resource.Group, Resource.Name, name);

    internal static long ParseResourceVersion(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) && revision > 0
            ? revision
            : throw ApiException.BadRequest($"invalid resource version: {value}");
    }

    /// <summary>The stored bytes of an object, converted to the storage version; callers drop resourceVersion first.
    /// Encoded as responses are (only what JSON requires escaped), so stored bytes can be served as they are.</summary>
    private byte[] Encode(JsonObject obj) => ResponseWriter.ToJsonBytes(converter?.ToStorage(obj) ?? obj);

    /// <summary>An object as served: read from stored bytes, converted from the storage version, with resourceVersion.</summary>
    private JsonObject Decode(byte[] value, long revision)
    {
        var stored = (JsonObject)JsonNode.Parse(value)!;
        return WithResourceVersion(converter?.FromStorage(stored) ?? stored, revision);
    }

    /// <summary>Stored bytes as an object, without conversion (for resources stored as served).</summary>
    internal static JsonObject Parse(byte[] value, long revision) => WithResourceVersion((JsonObject)JsonNode.Parse(value)!, revision);

    private static JsonObject WithResourceVersion(JsonObject obj, long revision)
    {
        obj.Metadata()["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return obj;
    }
}
