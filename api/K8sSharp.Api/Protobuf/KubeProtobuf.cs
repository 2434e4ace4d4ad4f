using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace K8sSharp.Api.Protobuf;

/// <summary>
/// The Kubernetes protobuf body format (<c>application/vnd.kubernetes.protobuf</c>): the magic "k8s\0"
/// followed by a runtime.Unknown envelope {1 typeMeta {apiVersion, kind}, 2 raw, 3 contentEncoding,
/// 4 contentType} whose raw bytes are the object, proto2-encoded per k8s.io/api's generated.proto.
/// Objects are converted to and from the JSON kube-apiserver would hold for them.
/// </summary>
public static class KubeProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private const string TypeMetaType = "k8s.io.apimachinery.pkg.runtime.TypeMeta";
    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Decodes a full request body, magic included, into JSON with apiVersion and kind from the
    /// envelope. Throws <see cref="ProtobufDecodeException"/> (and nothing else) for malformed bodies and
    /// for an apiVersion/kind without a protobuf type.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            return Decode(body.ToArray(), depth: 0);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or JsonException or FormatException
                                      or ArgumentException or InvalidOperationException or OverflowException)
        {
            // The Google.Protobuf reader (truncation, bad varints, invalid UTF-8), embedded JSON, base64 and
            // time range checks report bad input with these types; callers get one type.
            throw new ProtobufDecodeException($"malformed protobuf body: {e.Message}", e);
        }
    }

    /// <summary>Whether objects of this apiVersion and kind have a protobuf message (built-in kinds do, custom
    /// resources do not).</summary>
    public static bool Supports(string apiVersion, string kind) => ProtoSchema.Instance.Find(apiVersion, kind) is not null;

    internal static bool HasMagic(ReadOnlySpan<byte> body) => body.StartsWith(Magic);

    /// <summary>Decodes an envelope; <paramref name="depth"/> counts nesting for RawExtensions that embed one.</summary>
    internal static JsonObject Decode(byte[] body, int depth)
    {
        if (!HasMagic(body))
            throw new ProtobufDecodeException("protobuf body does not start with the magic bytes \"k8s\\0\"");
        var schema = ProtoSchema.Instance;
        var input = new CodedInputStream(body, Magic.Length, body.Length - Magic.Length);
        JsonObject typeMeta = [];
        var raw = ByteString.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: typeMeta = ProtoJsonReader.ReadMessage(ReadDelimited(input, tag), schema.Message(TypeMetaType), depth); break;
                case 2: raw = ReadDelimited(input, tag); break;
                case 3:
                    if (ReadDelimited(input, tag).Length > 0)
                        throw new ProtobufDecodeException("protobuf envelope with a contentEncoding is not supported");
                    break;
                default: input.SkipLastField(); break; // contentType (always protobuf) and unknown fields
            }
        }
        var apiVersion = (string?)typeMeta["apiVersion"] ?? "";
        var kind = (string?)typeMeta["kind"] ?? "";
        var type = schema.Find(apiVersion, kind)
            ?? throw new ProtobufDecodeException($"no protobuf type for {apiVersion} {kind}");
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        return ProtoJsonReader.ReadMessage(raw, type, depth, into: result);
    }

    private static ByteString ReadDelimited(CodedInputStream input, uint tag) =>
        WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited
            ? input.ReadBytes()
            : throw new ProtobufDecodeException($"envelope field {WireFormat.GetTagFieldNumber(tag)} is not length-delimited");

    /// <summary>Encodes a JSON object (apiVersion and kind required) as a protobuf body with magic and
    /// envelope. Only the fields present are written. Throws ArgumentException when there is no protobuf
    /// type for the object or it does not fit its schema.</summary>
    public static byte[] Encode(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = (string?)obj["apiVersion"] ?? "";
        var kind = (string?)obj["kind"] ?? "";
        var schema = ProtoSchema.Instance;
        var type = schema.Find(apiVersion, kind)
            ?? throw new ArgumentException($"no protobuf type for {apiVersion} {kind}", nameof(obj));
        var fields = new JsonObject(obj.Where(p => p.Key is not ("apiVersion" or "kind"))
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        using var stream = new MemoryStream();
        stream.Write(Magic);
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            var typeMeta = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ProtoJsonWriter.WriteMessage(typeMeta, schema.Message(TypeMetaType)));
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ProtoJsonWriter.WriteMessage(fields, type));
        }
        return stream.ToArray();
    }

    /// <summary>One protobuf watch frame's message: a metav1.WatchEvent {1 type, 2 object RawExtension {1 raw}}
    /// whose raw is the object's own protobuf body (magic and envelope included), in an envelope with an empty
    /// typeMeta, as kube-apiserver's watch encoder writes it (clients decode into a WatchEvent they supply).</summary>
    public static byte[] EncodeWatchEvent(string type, byte[] objectBody)
    {
        ArgumentNullException.ThrowIfNull(objectBody);
        var rawExtension = Message(output =>
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(objectBody));
        });
        var watchEvent = Message(output =>
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(type);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(rawExtension);
        });
        using var stream = new MemoryStream();
        stream.Write(Magic);
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.Empty);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(watchEvent);
        }
        return stream.ToArray();
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
            write(output);
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
