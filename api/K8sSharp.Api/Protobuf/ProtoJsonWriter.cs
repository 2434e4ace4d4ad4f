using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace K8sSharp.Api.Protobuf;

/// <summary>
/// JSON -> proto2 wire bytes along a <see cref="MessageDescriptor"/>, the inverse of <see cref="ProtoJsonReader"/>
/// for the field types Kubernetes uses (JSON names and inline structs per <see cref="KubeJsonNames"/>). Writes exactly the fields present in the JSON (repeated scalars
/// unpacked, as Go does); JSON nulls are skipped. Throws ArgumentException (or System.Text.Json's
/// InvalidOperationException/FormatException) for JSON that does not fit the schema.
/// </summary>
internal static class ProtoJsonWriter
{
    public static ByteString WriteMessage(JsonObject obj, MessageDescriptor type)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            foreach (var (field, node) in AssignFields(obj, type))
            {
                if (node is null)
                    continue;
                if (field.IsMap)
                {
                    foreach (var (key, value) in node.AsObject())
                        WriteValue(output, field, new JsonObject { ["key"] = key, ["value"] = value?.DeepClone() });
                }
                else if (field.IsRepeated)
                {
                    foreach (var item in node.AsArray())
                        WriteValue(output, field, item);
                }
                else
                {
                    WriteValue(output, field, node);
                }
            }
        }
        return ByteString.CopyFrom(buffer.ToArray());
    }

    /// <summary>Pairs each JSON property with its field; properties of inline (Go-embedded) structs are
    /// gathered into one object per inline field. Unknown properties are an error.</summary>
    private static List<(FieldDescriptor Field, JsonNode? Node)> AssignFields(JsonObject obj, MessageDescriptor type)
    {
        var assigned = new List<(FieldDescriptor, JsonNode?)>();
        var inline = new Dictionary<FieldDescriptor, JsonObject>();
        foreach (var (name, node) in obj)
        {
            var field = KubeJsonNames.Owner(type, name);
            if (field is null && name is "apiVersion" or "kind")
            {
                continue; // TypeMeta of an object nested in a list (items): protobuf carries it only in the envelope
            }
            if (field is null)
            {
                throw new ArgumentException($"{type.FullName} has no field '{name}'");
            }
            if (!KubeJsonNames.IsInline(field))
                assigned.Add((field, node));
            else if (inline.TryGetValue(field, out var embedded))
                embedded[name] = node?.DeepClone();
            else
                assigned.Add((field, inline[field] = new JsonObject { [name] = node?.DeepClone() }));
        }
        return assigned;
    }

    private static void WriteValue(CodedOutputStream output, FieldDescriptor field, JsonNode? node)
    {
        if (node is null && field.FieldType != FieldType.Message)
            return;
        output.WriteTag(field.FieldNumber, ProtoJsonReader.WireTypeOf(field.FieldType));
        switch (field.FieldType)
        {
            case FieldType.String: output.WriteString((string)node!); break;
            case FieldType.Bytes: output.WriteBytes(ByteString.FromBase64((string)node!)); break;
            case FieldType.Bool: output.WriteBool((bool)node!); break;
            case FieldType.Int32: output.WriteInt32(int.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture)); break;
            case FieldType.Int64: output.WriteInt64(long.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture)); break;
            case FieldType.Message:
                output.WriteBytes(WriteMessage(KubeScalarTypes.FromJson(node, field.MessageType), field.MessageType));
                break;
            default: throw new ArgumentException($"encoding {field.FieldType} field {field.FullName} is not supported");
        }
    }
}
