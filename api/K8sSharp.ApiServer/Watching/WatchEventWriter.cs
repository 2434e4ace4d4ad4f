using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Protobuf;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Watching;

/// <summary>
/// Writes watch events as one JSON line each (or one length-prefixed protobuf frame each) and flushes, so every
/// event reaches the client at once. For Table
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
        if (output.Format is OutputFormat.Table or OutputFormat.Protobuf || output.Partial)
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
            return output.Partial ? Negotiation.PartialOf(obj) : obj;
        }
        var table = new TableBuilder(resource, output.IncludeObject, time)
            .Build([obj], new JsonObject { ["resourceVersion"] = obj.ResourceVersion() }, withColumns: !columnsSent);
        columnsSent = true;
        return table;
    }

    private async Task WriteEventAsync(string type, JsonNode obj, CancellationToken ct)
    {
        if (output.Format == OutputFormat.Protobuf)
        {
            await WriteFrameAsync(type, obj, ct);
            return;
        }
        var line = ResponseWriter.ToJsonBytes(new JsonObject { ["type"] = type, ["object"] = obj.Parent is null ? obj : obj.DeepClone() });
        await response.Body.WriteAsync(line, ct);
        await response.Body.WriteAsync(NewLine, ct);
        await response.Body.FlushAsync(ct);
    }

    /// <summary>A protobuf watch frame: the event's length as 4 big-endian bytes, then the event. Objects whose
    /// protobuf encoding fails (fields the message lacks) end the stream with an error rather than a JSON line
    /// the client could not parse.</summary>
    private async Task WriteFrameAsync(string type, JsonNode obj, CancellationToken ct)
    {
        var body = ResponseWriter.ToProtobuf(obj)
            ?? throw new InvalidOperationException($"{resource.Kind} {obj["metadata"]?["name"]} has no protobuf encoding");
        var frame = KubeProtobuf.EncodeWatchEvent(type, body);
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, frame.Length);
        await response.Body.WriteAsync(length, ct);
        await response.Body.WriteAsync(frame, ct);
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
