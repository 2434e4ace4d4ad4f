using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace K8sSharp.Api.Protobuf;

/// <summary>
/// Walks proto2 wire bytes along a <see cref="MessageDescriptor"/> and builds the JSON that kube-apiserver
/// would hold for the same Go object (JSON names and inline structs per <see cref="KubeJsonNames"/>).
/// Unknown field numbers are skipped; a known field with the wrong wire type is an error (as in Go's
/// generated unmarshalers).
/// </summary>
/// <remarks>
/// Zero values: Go writes every non-pointer field, so the wire is full of 0, false, "" and zero Times that
/// Go's JSON would drop via omitempty. We cannot tell pointer from non-pointer fields here, so the rule is
/// pragmatic: a singular field whose value is 0, false, "", or JSON null (zero Time, empty RawExtension) is
/// left out. Elements of repeated fields and map values are always kept. Messages are kept even when
/// empty, as Go's JSON does for struct fields: presence carries meaning there (<c>emptyDir: {}</c>).
/// Exception: the Go pointer fields of <see cref="GoPointerFields"/> keep an explicit zero (replicas: 0,
/// gracePeriodSeconds: 0, automountServiceAccountToken: false), because Go writes them only when set.
/// </remarks>
internal static class ProtoJsonReader
{
    private const int MaxDepth = 100;

    /// <summary>Decodes one message into <paramref name="into"/> (or a new object), fields in declaration
    /// order. With <paramref name="keepZeros"/> (map entries) zero-valued fields are kept too.</summary>
    public static JsonObject ReadMessage(ByteString bytes, MessageDescriptor type, int depth,
        bool keepZeros = false, JsonObject? into = null)
    {
        if (depth > MaxDepth)
            throw new ProtobufDecodeException($"protobuf nesting is deeper than {MaxDepth} levels");
        var values = new Dictionary<FieldDescriptor, JsonNode?>();
        JsonNode CollectionOf(FieldDescriptor field) => values.TryGetValue(field, out var node) && node is not null
            ? node
            : values[field] = field.IsMap ? new JsonObject() : new JsonArray();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = type.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            if (field is null)
                input.SkipLastField();
            else if (field.IsMap)
                ReadMapEntry(input, tag, field, depth, (JsonObject)CollectionOf(field));
            else if (field.IsRepeated)
                ReadRepeated(input, tag, field, depth, (JsonArray)CollectionOf(field));
            else
                values[field] = ReadValue(input, tag, field, depth); // proto: the last occurrence wins
        }
        var result = into ?? [];
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (!values.TryGetValue(field, out var value) || (!keepZeros && !field.IsRepeated && IsZero(value) && !KeepsZero(field, value)))
                continue;
            if (KubeJsonNames.IsInline(field) && value is JsonObject embedded)
                MoveProperties(embedded, result); // Go's json:",inline": the fields belong to the parent
            else
                result[KubeJsonNames.JsonName(field)] = value;
        }
        return result;
    }

    private static void MoveProperties(JsonObject from, JsonObject to)
    {
        foreach (var (name, value) in from.ToList())
        {
            from.Remove(name);
            to[name] = value;
        }
    }

    private static void ReadRepeated(CodedInputStream input, uint tag, FieldDescriptor field, int depth, JsonArray items)
    {
        var packable = WireTypeOf(field.FieldType) is not WireFormat.WireType.LengthDelimited;
        if (packable && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
        {
            // Packed scalars: one length-delimited run of values without tags.
            var packed = input.ReadBytes().CreateCodedInput();
            while (!packed.IsAtEnd)
                items.Add(ReadScalar(packed, field, depth));
        }
        else
        {
            items.Add(ReadValue(input, tag, field, depth));
        }
    }

    /// <summary>Maps arrive as repeated entry messages {1: key, 2: value}; a missing part means its zero value.</summary>
    private static void ReadMapEntry(CodedInputStream input, uint tag, FieldDescriptor field, int depth, JsonObject map)
    {
        CheckWireType(tag, field);
        var entry = ReadMessage(input.ReadBytes(), field.MessageType, depth + 1, keepZeros: true);
        var valueField = field.MessageType.FindFieldByNumber(2);
        var key = entry["key"]?.ToString() ?? "";
        var hasValue = entry.TryGetPropertyValue("value", out var value);
        entry.Remove("value"); // detach, so the node can move into the map
        map[key] = hasValue ? value : ZeroValue(valueField, depth);
    }

    private static JsonNode? ZeroValue(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.Message => ReadMessageValue(ByteString.Empty, field.MessageType, depth + 1),
        FieldType.String or FieldType.Bytes => "",
        FieldType.Bool => false,
        _ => 0,
    };

    private static JsonNode? ReadValue(CodedInputStream input, uint tag, FieldDescriptor field, int depth)
    {
        CheckWireType(tag, field);
        return ReadScalar(input, field, depth);
    }

    /// <summary>One value; only the scalar types that occur in the k8s.io protos are supported.</summary>
    private static JsonNode? ReadScalar(CodedInputStream input, FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => input.ReadString(),
        FieldType.Bytes => Convert.ToBase64String(input.ReadBytes().Span),
        FieldType.Bool => input.ReadBool(),
        FieldType.Int32 => input.ReadInt32(),
        FieldType.Int64 => input.ReadInt64(),
        FieldType.Message => ReadMessageValue(input.ReadBytes(), field.MessageType, depth + 1),
        _ => throw new ProtobufDecodeException($"field {field.FullName} has unsupported type {field.FieldType}"),
    };

    /// <summary>A nested message as JSON: Kubernetes' scalar-like types become strings/numbers/embedded JSON.</summary>
    private static JsonNode? ReadMessageValue(ByteString bytes, MessageDescriptor type, int depth)
    {
        var message = ReadMessage(bytes, type, depth);
        return KubeScalarTypes.IsScalarType(type) ? KubeScalarTypes.ToJson(message, type, depth) : message;
    }

    private static void CheckWireType(uint tag, FieldDescriptor field)
    {
        var expected = WireTypeOf(field.FieldType);
        if (WireFormat.GetTagWireType(tag) != expected)
            throw new ProtobufDecodeException(
                $"field {field.FullName} has wire type {WireFormat.GetTagWireType(tag)}, expected {expected}");
    }

    internal static WireFormat.WireType WireTypeOf(FieldType type) => type switch
    {
        FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
        FieldType.Group => WireFormat.WireType.StartGroup,
        _ => WireFormat.WireType.Varint,
    };

    /// <summary>A zero scalar of a Go pointer field was set explicitly (Go writes unset pointers not at all).</summary>
    private static bool KeepsZero(FieldDescriptor field, JsonNode? value) => value is not null && GoPointerFields.IsPointer(field);

    /// <summary>The values the zero-value rule (see remarks) drops for singular fields.</summary>
    private static bool IsZero(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.False => true,
            System.Text.Json.JsonValueKind.String => v.GetValue<string>().Length == 0,
            System.Text.Json.JsonValueKind.Number => v.ToJsonString() == "0",
            _ => false,
        },
        _ => false,
    };
}
