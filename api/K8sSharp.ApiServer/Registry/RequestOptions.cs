using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry;

/// <summary>Options of a write (create, update, patch, delete), from the query string and the request body.</summary>
/// <param name="DryRun">dryRun=All: run every stage but persist nothing.</param>
/// <param name="FieldManager">The manager named by the client or derived from its User-Agent.</param>
internal sealed record WriteOptions(bool DryRun = false, string? FieldManager = null);

/// <summary>metav1.DeleteOptions, as far as the store honours them.</summary>
internal sealed record DeleteRequest(bool DryRun = false, long? GracePeriodSeconds = null, string? PreconditionUid = null,
    string? PreconditionResourceVersion = null, string? PropagationPolicy = null);

/// <summary>A list request after parsing: the filter is already built from the label and field selectors.</summary>
/// <param name="Filter">Null when nothing is selected (then remainingItemCount can be reported).</param>
internal sealed record ListRequest(
    Func<JsonObject, bool>? Filter = null,
    int Limit = 0,
    string? Continue = null,
    string? ResourceVersion = null,
    string? ResourceVersionMatch = null);

internal sealed record ListPage(IReadOnlyList<JsonObject> Items, long Revision, string? Continue, long? RemainingItemCount);

internal enum WatchEventKind { Added, Modified, Deleted, Bookmark }

/// <summary>One event of a resource watch, its object already decoded with resourceVersion set.</summary>
internal sealed record ObjectEvent(WatchEventKind Kind, JsonObject Object, long Revision);
