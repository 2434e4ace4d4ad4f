using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using K8sSharp.Api.Printing;

namespace K8sSharp.Api.Protobuf;

/// <summary>
/// Kubernetes types that protobuf carries as messages but Go's JSON writes as scalars, arrays or embedded
/// JSON (they have custom MarshalJSON). <see cref="ToJson"/> turns the generically decoded message into that
/// form; <see cref="FromJson"/> is its inverse, used by <see cref="KubeProtobuf.Encode"/>.
/// </summary>
internal static class KubeScalarTypes
{
    private const string Meta = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private const string Time = Meta + "Time", MicroTime = Meta + "MicroTime", Duration = Meta + "Duration";
    private const string FieldsV1 = Meta + "FieldsV1";
    private const string IntOrString = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private const string Quantity = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    private const string RawExtension = "k8s.io.apimachinery.pkg.runtime.RawExtension";

    public static bool IsScalarType(MessageDescriptor type) =>
        type.FullName is Time or MicroTime or Duration or FieldsV1 or IntOrString or Quantity or RawExtension
        || IsSliceWrapper(type);

    /// <summary>Go named slices (<c>type ExtraValue []string</c>, <c>Verbs</c>) get a wrapper message whose
    /// only field is <c>repeated items = 1</c>; their JSON is the bare array. The shape alone is not enough
    /// (DownwardAPIProjection has it and is a real struct), hence the names.</summary>
    public static bool IsSliceWrapper(MessageDescriptor type) =>
        type.Name is "ExtraValue" or "Verbs"
        && type.Fields.InFieldNumberOrder() is [{ Name: "items", IsRepeated: true, FieldNumber: 1 }];

    /// <summary>The Go JSON value of a decoded scalar-like message; null where Go writes null (zero Time,
    /// empty RawExtension). <paramref name="depth"/> bounds recursion into embedded protobuf objects.</summary>
    public static JsonNode? ToJson(JsonObject message, MessageDescriptor type, int depth) => type.FullName switch
    {
        // metav1.Time marshals with second precision, MicroTime with exactly six fractional digits, both UTC.
        Time => FormatTime(message, "yyyy-MM-dd'T'HH:mm:ss'Z'"),
        MicroTime => FormatTime(message, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
        Duration => GoDurationText.Format((long?)message["duration"] ?? 0),
        IntOrString => (long?)message["type"] == 1
            ? JsonValue.Create((string?)message["strVal"] ?? "")
            : JsonValue.Create((int?)message["intVal"] ?? 0),
        Quantity => JsonValue.Create((string?)message["string"] ?? ""),
        RawExtension => ParseEmbedded(message["raw"], depth),
        FieldsV1 => ParseEmbedded(message["Raw"], depth),
        _ => TakeItems(message), // IsScalarType admitted it, so it is a slice wrapper
    };

    private static JsonNode TakeItems(JsonObject message)
    {
        message.TryGetPropertyValue("items", out var items);
        message.Remove("items");
        return items ?? new JsonArray();
    }

    private static JsonValue? FormatTime(JsonObject message, string format)
    {
        var seconds = (long?)message["seconds"] ?? 0;
        var nanos = (int?)message["nanos"] ?? 0;
        if (seconds == 0 && nanos == 0)
            return null; // Go's zero Time marshals as null
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return JsonValue.Create(time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>RawExtension/FieldsV1 bytes hold JSON, or (rarely) a nested k8s\0 protobuf object.</summary>
    private static JsonNode? ParseEmbedded(JsonNode? base64, int depth)
    {
        var raw = Convert.FromBase64String((string?)base64 ?? "");
        if (raw.Length == 0)
            return null;
        return KubeProtobuf.HasMagic(raw) ? KubeProtobuf.Decode(raw, depth + 1) : JsonNode.Parse(raw);
    }

    /// <summary>The message form of a JSON value of <paramref name="type"/> (inverse of <see cref="ToJson"/>).
    /// Throws ArgumentException for values it cannot represent.</summary>
    public static JsonObject FromJson(JsonNode? node, MessageDescriptor type)
    {
        if (node is null)
            return [];
        switch (type.FullName)
        {
            case Time or MicroTime:
                var time = DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                return new() { ["seconds"] = time.ToUnixTimeSeconds(), ["nanos"] = (int)(time.UtcTicks % TimeSpan.TicksPerSecond * 100) };
            case IntOrString:
                return node.GetValueKind() == JsonValueKind.String
                    ? new() { ["type"] = 1L, ["strVal"] = (string)node! }
                    : new() { ["type"] = 0L, ["intVal"] = int.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) };
            case Quantity:
                return new() { ["string"] = node.GetValueKind() == JsonValueKind.String ? (string)node! : node.ToJsonString() };
            case RawExtension or FieldsV1:
                var raw = Convert.ToBase64String(Encoding.UTF8.GetBytes(node.ToJsonString()));
                return new() { [type.FullName == FieldsV1 ? "Raw" : "raw"] = raw };
            case Duration:
                throw new ArgumentException("encoding metav1.Duration is not supported");
            default:
                return IsSliceWrapper(type) ? new() { ["items"] = node.DeepClone() } : node.AsObject();
        }
    }
}
