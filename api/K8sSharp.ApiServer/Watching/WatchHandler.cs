using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Endpoints;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Watching;

/// <summary>
/// Serves <c>?watch=true</c>: newline-delimited JSON events (or protobuf frames), flushed per burst by
/// <see cref="WatchRelay"/>. Starting points follow upstream:
/// resourceVersion unset or "0" first replays the current state as ADDED events; <c>sendInitialEvents=true</c>
/// adds the <c>k8s.io/initial-events-end</c> BOOKMARK after them (watch-list, which client-go 1.35 uses by
/// default); an explicit revision resumes after it, or ends with a 410 ERROR event if it is compacted.
/// </summary>
internal sealed class WatchHandler(TimeProvider time)
{
    public async Task ServeAsync(HttpContext context, ResourceStore store, string? ns, string? name, CancellationToken requestAborted)
    {
        var request = context.Request;
        var output = Negotiation.For(request, tableAllowed: true, store.Resource, "PartialObjectMetadata");
        var list = ListQuery.Parse(request, store.Resource, name);
        var sendInitial = request.Get("sendInitialEvents") is { } initial ? initial == "true" : (bool?)null;
        var bookmarks = request.GetBool("allowWatchBookmarks");
        ValidateWatchList(sendInitial, list.ResourceVersionMatch, bookmarks);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(TimeoutOf(request));
        var ct = timeout.Token;

        context.Response.StatusCode = 200;
        context.Response.ContentType = output.Format == OutputFormat.Protobuf ? MediaTypes.Protobuf + ";stream=watch" : MediaTypes.Json;
        context.Response.Headers.CacheControl = "no-cache, private";
        var writer = new WatchEventWriter(context.Response, store.Resource, output, time);
        try
        {
            // Headers go out at once, as upstream flushes them, so a client knows the watch is established before any event.
            await context.Response.StartAsync(ct);
            await StreamAsync(writer, store, ns, list, sendInitial, bookmarks, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // timeoutSeconds elapsed or the client went away: end the stream cleanly.
        }
        catch (ApiException e)
        {
            await writer.WriteErrorAsync(e.ToStatus(), requestAborted);
        }
    }

    private async Task StreamAsync(WatchEventWriter writer, ResourceStore store, string? ns, ListRequest list, bool? sendInitial, bool bookmarks, CancellationToken ct)
    {
        var rv = list.ResourceVersion;
        long after;
        if (sendInitial == true || string.IsNullOrEmpty(rv) || rv == "0")
        {
            var page = await store.ListAsync(ns, list with { Limit = 0, Continue = null, ResourceVersionMatch = null }, ct);
            foreach (var obj in page.Items)
            {
                await writer.WriteAsync(WatchEventKind.Added, obj, ct);
            }
            after = page.Revision;
            if (sendInitial == true)
            {
                await writer.WriteBookmarkAsync(after, initialEventsEnd: true, ct);
            }
        }
        else
        {
            after = ResourceStore.ParseResourceVersion(rv);
        }
        await writer.FlushAsync(ct);
        using var relay = new WatchRelay(writer, after, time);
        await relay.RunAsync(store.WatchAsync(ns, after, list.Filter, ct), bookmarks, ct);
    }

    /// <summary>Upstream validation of watch-list requests: sendInitialEvents needs NotOlderThan and bookmarks.</summary>
    private static void ValidateWatchList(bool? sendInitial, string? match, bool bookmarks)
    {
        if (sendInitial is null)
        {
            return;
        }
        if (match != "NotOlderThan")
        {
            throw new ApiException(422, "Invalid", "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
        }
        if (sendInitial == true && !bookmarks)
        {
            throw new ApiException(422, "Invalid", "allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true");
        }
    }

    /// <summary>timeoutSeconds, or like kube-apiserver a random 30 to 60 minutes so long watches spread their reconnects.</summary>
    private static TimeSpan TimeoutOf(HttpRequest request)
    {
        var seconds = request.GetLong("timeoutSeconds");
        return seconds is > 0
            ? TimeSpan.FromSeconds(seconds.Value)
            : TimeSpan.FromMinutes(30 + (Random.Shared.NextDouble() * 30));
    }
}
