using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Serialization;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry;

internal sealed partial class ResourceStore
{
    private const string TooOldContinue =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    /// <summary>
    /// Lists the namespace (or everything), filtered, in key order. With a limit, pages are cut after
    /// <see cref="ListRequest.Limit"/> matching items and the continue token pins the snapshot revision.
    /// </summary>
    public async Task<ListPage> ListAsync(string? ns, ListRequest request, CancellationToken ct)
    {
        var page = await SelectAsync(ns, request, ct);
        var items = page.Items.Select(i => i.Decoded ?? Decode(i.Stored.Value, i.Stored.ModRevision)).ToList();
        return new ListPage(items, page.Revision, page.Continue, null);
    }

    /// <summary>
    /// The same list as <see cref="ListAsync"/>, each item as its wire JSON (what serialising the listed object
    /// gives). Objects stored as served are copied from their stored bytes rather than parsed and re-serialised.
    /// </summary>
    public async Task<EncodedListPage> ListEncodedAsync(string? ns, ListRequest request, CancellationToken ct)
    {
        var page = await SelectAsync(ns, request, ct);
        var items = page.Items.Select(ToWireJson).ToList();
        return new EncodedListPage(items, page.Revision, page.Continue);
    }

    /// <summary>The object as <see cref="ResourceStore.GetAsync"/> serves it, as its wire JSON (see <see cref="ListEncodedAsync"/>).</summary>
    public async Task<byte[]> GetEncodedAsync(string? ns, string name, CancellationToken ct)
    {
        var stored = await storage.GetAsync(keys.Key(ns, name), ct) ?? throw NotFound(name);
        return ToWireJson(new SelectedObject(stored, null));
    }

    private byte[] ToWireJson(SelectedObject item) =>
        item.Decoded is null && converter is null && StoredJson.TryWithResourceVersion(item.Stored.Value, item.Stored.ModRevision, out var served)
            ? served
            : ResponseWriter.ToJsonBytes(item.Decoded ?? Decode(item.Stored.Value, item.Stored.ModRevision));

    /// <summary>A listed object as stored; <see cref="Decoded"/> is set when selection had to parse it.</summary>
    private readonly record struct SelectedObject(StoredValue Stored, JsonObject? Decoded);

    private sealed record SelectedPage(List<SelectedObject> Items, long Revision, string? Continue);

    private async Task<SelectedPage> SelectAsync(string? ns, ListRequest request, CancellationToken ct)
    {
        var prefix = keys.ListPrefix(ns);
        var (revision, startKey) = StartOf(request, prefix);
        var items = new List<SelectedObject>();
        var batch = request.Limit > 0 ? Math.Max(request.Limit, 64) : 0;
        while (true)
        {
            var page = await ListStorageAsync(prefix, new ListOptions(revision, batch, startKey), request.Continue is not null, ct);
            revision = page.Revision;
            foreach (var stored in page.Items)
            {
                if (Select(stored, request) is { } selected)
                {
                    items.Add(selected);
                }
                if (request.Limit > 0 && items.Count == request.Limit)
                {
                    var more = page.HasMore || !ReferenceEquals(stored, page.Items[^1]);
                    return new SelectedPage(items, revision, more ? ContinueAfter(revision, prefix, stored.Key) : null);
                }
            }
            if (!page.HasMore || page.Items.Count == 0)
            {
                return new SelectedPage(items, revision, null);
            }
            startKey = page.Items[^1].Key + "\0";
        }
    }

    /// <summary>The object when the request selects it; parsed only when the filter needs the object itself.</summary>
    private SelectedObject? Select(StoredValue stored, ListRequest request)
    {
        if (!(request.Prefilter?.Admits(stored) ?? true))
        {
            return null;
        }
        if (request.Filter is null)
        {
            return new SelectedObject(stored, null);
        }
        var obj = Decode(stored.Value, stored.ModRevision);
        return request.Filter(obj) ? new SelectedObject(stored, obj) : null;
    }

    private static string ContinueAfter(long revision, string prefix, string lastKey) =>
        new ContinueToken(revision, lastKey[prefix.Length..] + "\0").Encode();

    private static (long Revision, string? StartKey) StartOf(ListRequest request, string prefix)
    {
        if (request.Continue is { Length: > 0 } text)
        {
            var token = ContinueToken.Decode(text);
            return (token.Revision, prefix + token.StartKey);
        }
        return request.ResourceVersionMatch == "Exact" ? (ParseResourceVersion(request.ResourceVersion), null) : (0, null);
    }

    private async Task<StorageList> ListStorageAsync(string prefix, ListOptions options, bool continuing, CancellationToken ct)
    {
        try
        {
            return await storage.ListAsync(prefix, options, ct);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.Compacted)
        {
            throw continuing
                ? ApiException.Expired(TooOldContinue)
                : ApiException.Expired($"Timeout: Too large resource version: {options.Revision}, current: {e.CompactedRevision}");
        }
    }

    /// <summary>
    /// Streams changes after <paramref name="afterRevision"/>. A compacted revision surfaces as an
    /// <see cref="ApiException"/> 410 Expired, which the watch handler sends as an ERROR event.
    /// </summary>
    public async IAsyncEnumerable<ObjectEvent> WatchAsync(string? ns, long afterRevision, Func<JsonObject, bool>? filter,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var prefix = keys.ListPrefix(ns);
        await using var events = WatchStorage(prefix, afterRevision, ct).GetAsyncEnumerator(ct);
        while (await MoveNextAsync(events, afterRevision))
        {
            var change = events.Current;
            var json = converter is null ? EncodedEvents.Json(change) : ResponseWriter.ToJsonBytes(Decode(change.Value, change.Revision));
            var parsed = filter is null ? null : (JsonObject)JsonNode.Parse(json)!;
            var kind = change.Type switch
            {
                StorageEventType.Added => WatchEventKind.Added,
                StorageEventType.Modified => WatchEventKind.Modified,
                _ => WatchEventKind.Deleted,
            };
            var shown = parsed is null ? kind : Selected(kind, filter!(parsed), change, filter!);
            if (shown is { } selected)
            {
                yield return new ObjectEvent(selected, change.Revision, json, parsed);
            }
        }
    }

    /// <summary>
    /// The event a selector-filtered watcher sees, as upstream's cacher decides it: a modification that makes the
    /// object leave the selection is DELETED (with the new state), one that makes it enter is ADDED, one outside
    /// before and after is nothing. Without the previous value, the new state alone decides.
    /// </summary>
    private WatchEventKind? Selected(WatchEventKind kind, bool matchesNow, StorageEvent change, Func<JsonObject, bool> filter)
    {
        if (kind != WatchEventKind.Modified || change.PreviousValue is not { } previous)
        {
            return matchesNow ? kind : null;
        }
        var matchedBefore = filter(Decode(previous, change.Revision));
        return (matchedBefore, matchesNow) switch
        {
            (true, true) => WatchEventKind.Modified,
            (false, true) => WatchEventKind.Added,
            (true, false) => WatchEventKind.Deleted,
            _ => null,
        };
    }

    private IAsyncEnumerable<StorageEvent> WatchStorage(string prefix, long afterRevision, CancellationToken ct) =>
        storage.WatchAsync(prefix, afterRevision, ct);

    private static async Task<bool> MoveNextAsync(IAsyncEnumerator<StorageEvent> events, long afterRevision)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.Compacted)
        {
            throw ApiException.Expired(string.Create(CultureInfo.InvariantCulture, $"too old resource version: {afterRevision} ({e.CompactedRevision})"));
        }
    }

    public Task<long> CurrentRevisionAsync(CancellationToken ct) => storage.CurrentRevisionAsync(ct);
}
