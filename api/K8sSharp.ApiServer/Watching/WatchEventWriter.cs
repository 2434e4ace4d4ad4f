using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json.Nodes;
using K8sSharp.Api.Protobuf;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Watching;

/// <summary>
/// Writes watch events as one JSON line each (or one length-prefixed protobuf frame each) into the response's
/// buffer. Events are not flushed one by one: the caller flushes (<see cref="FlushAsync"/>) once it has nothing more
/// to write right now, so a burst reaches the client as one HTTP/2 DATA frame and one TLS record instead of one
/// per event; a write flushes by itself past <see cref="FlushThreshold"/> so a long initial list streams instead of
/// piling up in memory. Bookmarks and errors are flushed at once. For Table watches each object is a one-row Table;
/// only the first carries the column definitions, as upstream does.
/// </summary>
internal sealed class WatchEventWriter(HttpResponse response, ApiResource resource, Negotiated output, TimeProvider time)
{
    /// <summary>Buffered bytes above which a write flushes by itself.</summary>
    public const int FlushThreshold = 64 * 1024;

    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private static readonly byte[] EventEnd = "}\n"u8.ToArray();
    private static readonly byte[] AddedStart = "{\"type\":\"ADDED\",\"object\":"u8.ToArray();
    private static readonly byte[] ModifiedStart = "{\"type\":\"MODIFIED\",\"object\":"u8.ToArray();
    private static readonly byte[] DeletedStart = "{\"type\":\"DELETED\",\"object\":"u8.ToArray();
    private readonly PipeWriter body = response.BodyWriter;
    private long unflushed;
    private bool columnsSent;

    public ValueTask WriteAsync(WatchEventKind kind, JsonObject obj, CancellationToken ct) =>
        WriteEventAsync(TypeName(kind), Render(obj), ct);

    /// <summary>Writes a live event; plain JSON watches copy the shared encoded object without re-serializing it.</summary>
    public ValueTask WriteAsync(ObjectEvent change, CancellationToken ct)
    {
        if (output.Format is OutputFormat.Table or OutputFormat.Protobuf || output.Partial)
        {
            return WriteAsync(change.Kind, change.Object, ct);
        }
        Append(change.Kind switch
        {
            WatchEventKind.Added => AddedStart,
            WatchEventKind.Modified => ModifiedStart,
            _ => DeletedStart,
        });
        Append(change.Json);
        Append(EventEnd);
        return FlushIfFullAsync(ct);
    }

    public async Task WriteBookmarkAsync(long revision, bool initialEventsEnd, CancellationToken ct)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }
        var bookmark = new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.ApiVersion, ["metadata"] = metadata };
        await WriteEventAsync("BOOKMARK", bookmark, ct);
        await FlushAsync(ct);
    }

    public async Task WriteErrorAsync(JsonObject status, CancellationToken ct)
    {
        await WriteEventAsync("ERROR", status, ct);
        await FlushAsync(ct);
    }

    /// <summary>Sends what is buffered; nothing when nothing is.</summary>
    public async ValueTask FlushAsync(CancellationToken ct)
    {
        if (unflushed == 0)
        {
            return;
        }
        unflushed = 0;
        await body.FlushAsync(ct);
    }

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

    private ValueTask WriteEventAsync(string type, JsonNode obj, CancellationToken ct)
    {
        if (output.Format == OutputFormat.Protobuf)
        {
            WriteFrame(type, obj);
        }
        else
        {
            Append(ResponseWriter.ToJsonBytes(new JsonObject { ["type"] = type, ["object"] = obj.Parent is null ? obj : obj.DeepClone() }));
            Append(NewLine);
        }
        return FlushIfFullAsync(ct);
    }

    /// <summary>A protobuf watch frame: the event's length as 4 big-endian bytes, then the event. Objects whose
    /// protobuf encoding fails (fields the message lacks) end the stream with an error rather than a JSON line
    /// the client could not parse.</summary>
    private void WriteFrame(string type, JsonNode obj)
    {
        var encoded = ResponseWriter.ToProtobuf(obj)
            ?? throw new InvalidOperationException($"{resource.Kind} {obj["metadata"]?["name"]} has no protobuf encoding");
        var frame = KubeProtobuf.EncodeWatchEvent(type, encoded);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, frame.Length);
        Append(length);
        Append(frame);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        body.Write(bytes);
        unflushed += bytes.Length;
    }

    private ValueTask FlushIfFullAsync(CancellationToken ct) => unflushed >= FlushThreshold ? FlushAsync(ct) : ValueTask.CompletedTask;

    private static string TypeName(WatchEventKind kind) => kind switch
    {
        WatchEventKind.Added => "ADDED",
        WatchEventKind.Modified => "MODIFIED",
        WatchEventKind.Deleted => "DELETED",
        _ => "BOOKMARK",
    };
}
