using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry;

/// <summary>Options of a write (create, update, patch, delete), from the query string and the request body.</summary>
/// <param name="DryRun">dryRun=All: run every stage but persist nothing.</param>
/// <param name="FieldManager">The manager named by the client or derived from its User-Agent.</param>
internal sealed record WriteOptions(bool DryRun = false, string? FieldManager = null);

/// <summary>metav1.DeleteOptions, as far as the store honours them.</summary>
/// <param name="PropagationPolicy">Orphan, Background or Foreground; null for the kind's default.</param>
/// <param name="OrphanDependents">The deprecated boolean form of the policy (true: Orphan, false: Background).</param>
internal sealed record DeleteRequest(bool DryRun = false, long? GracePeriodSeconds = null, string? PreconditionUid = null,
    string? PreconditionResourceVersion = null, string? PropagationPolicy = null, bool? OrphanDependents = null);

/// <summary>A list request after parsing: the filter is already built from the label and field selectors.</summary>
/// <param name="Filter">Null when nothing is selected (then remainingItemCount can be reported).</param>
/// <param name="Prefilter">What can be decided before an object is parsed (from its key and stored labels); the
/// <paramref name="Filter"/> still decides the rest.</param>
internal sealed record ListRequest(
    Func<JsonObject, bool>? Filter = null,
    ListPrefilter? Prefilter = null,
    int Limit = 0,
    string? Continue = null,
    string? ResourceVersion = null,
    string? ResourceVersionMatch = null);

internal sealed record ListPage(IReadOnlyList<JsonObject> Items, long Revision, string? Continue, long? RemainingItemCount);

/// <summary>A list page whose items are already their wire JSON (resourceVersion set), for streaming to clients.</summary>
internal sealed record EncodedListPage(IReadOnlyList<byte[]> Items, long Revision, string? Continue);

internal enum WatchEventKind { Added, Modified, Deleted, Bookmark }

/// <summary>
/// One event of a resource watch. The object travels as JSON bytes (with resourceVersion set) that may be shared
/// by every watcher of the same change, so each change is encoded once however many watch it; a watcher that
/// needs the object itself (selectors, Tables) parses its own copy.
/// </summary>
internal sealed class ObjectEvent(WatchEventKind kind, long revision, byte[] json, JsonObject? parsed = null)
{
    private JsonObject? parsed = parsed;

    public WatchEventKind Kind { get; } = kind;

    public long Revision { get; } = revision;

    /// <summary>The object's JSON; shared, never to be modified.</summary>
    public byte[] Json { get; } = json;

    /// <summary>This watcher's own parsed copy of the object.</summary>
    public JsonObject Object => parsed ??= (JsonObject)JsonNode.Parse(Json)!;
}

/// <summary>
/// The cheap part of a list's selection: the exact name a field selector asks for (compared with the storage
/// key's last segment) and the label selector (matched against labels read from the stored bytes).
/// </summary>
internal sealed record ListPrefilter(string? Name, K8sSharp.Api.Selection.LabelSelector? Labels)
{
    public bool Admits(StoredValue stored)
    {
        if (Name is not null && !stored.Key.EndsWith("/" + Name, StringComparison.Ordinal))
        {
            return false;
        }
        return Labels is null || Labels.Matches(StoredLabels.Of(stored.Value));
    }
}
