using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Watching;

/// <summary>
/// Writes watch events as one JSON line each and flushes, so every event reaches the client at once. For Table
/// watches each object is a one-row Table; only the first carries the column definitions, as upstream does.
/// </summary>
internal sealed class WatchEventWriter(HttpResponse response, ApiResource resource, Negotiated output, TimeProvider time)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private static readonly byte[] EventEnd = "}\n"u8.ToArray();
    private bool columnsSent;

    public Task WriteAsync(WatchEventKind kind, JsonObject obj, CancellationToken ct) =>
        WriteEventAsync(TypeName(kind), Render(obj), ct);

    /// <summary>Writes a live event; plain JSON watches copy the shared encoded object without re-serializing it.</summary>
    public async Task WriteAsync(ObjectEvent change, CancellationToken ct)
    {
        if (output.Format == OutputFormat.Table)
        {
            await WriteAsync(change.Kind, change.Object, ct);
            return;
        }
        await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"{TypeName(change.Kind)}\",\"object\":"), ct);
        await response.Body.WriteAsync(change.Json, ct);
        await response.Body.WriteAsync(EventEnd, ct);
        await response.Body.FlushAsync(ct);
    }

    public Task WriteBookmarkAsync(long revision, bool initialEventsEnd, CancellationToken ct)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }
        var bookmark = new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.ApiVersion, ["metadata"] = metadata };
        return WriteEventAsync("BOOKMARK", bookmark, ct);
    }

    public Task WriteErrorAsync(JsonObject status, CancellationToken ct) => WriteEventAsync("ERROR", status, ct);

    private JsonObject Render(JsonObject obj)
    {
        if (output.Format != OutputFormat.Table)
        {
            return obj;
        }
        var table = new TableBuilder(resource, output.IncludeObject, time)
            .Build([obj], new JsonObject { ["resourceVersion"] = obj.ResourceVersion() }, withColumns: !columnsSent);
        columnsSent = true;
        return table;
    }

    private async Task WriteEventAsync(string type, JsonNode obj, CancellationToken ct)
    {
        var line = ResponseWriter.ToJsonBytes(new JsonObject { ["type"] = type, ["object"] = obj.Parent is null ? obj : obj.DeepClone() });
        await response.Body.WriteAsync(line, ct);
        await response.Body.WriteAsync(NewLine, ct);
        await response.Body.FlushAsync(ct);
    }

    private static string TypeName(WatchEventKind kind) => kind switch
    {
        WatchEventKind.Added => "ADDED",
        WatchEventKind.Modified => "MODIFIED",
        WatchEventKind.Deleted => "DELETED",
        _ => "BOOKMARK",
    };
}
