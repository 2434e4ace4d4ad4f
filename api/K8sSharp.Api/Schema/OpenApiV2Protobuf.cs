using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace K8sSharp.Api.Schema;

/// <summary>
/// Encodes a Swagger 2.0 JSON document as the gnostic <c>openapi.v2.Document</c> protobuf message
/// (google/gnostic <c>openapiv2/OpenAPIv2.proto</c>, proto3), the form kube-apiserver serves for
/// <c>Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c> and client-go decodes.
/// </summary>
/// <remarks>
/// gnostic's mapping, which this follows: JSON objects become messages with snake_case fields; maps become
/// repeated (name, value) pairs in document order (<c>Named*</c>); <c>x-</c> properties become
/// <c>vendor_extension</c> pairs whose value is an <c>Any</c> carrying the value as YAML (JSON text is YAML);
/// <c>default</c>, <c>example</c> and <c>enum</c> values are such Anys too; properties that can hold one of
/// several shapes ($ref or object, body or query parameter, schema or boolean) are oneof wrappers. Proto3
/// writes no zero scalars. Unknown properties are dropped, as gnostic does.
/// </remarks>
public static class OpenApiV2Protobuf
{
    public static byte[] Encode(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Message(document, Specs.Document).ToByteArray();
    }

    /// <summary>How one JSON property maps to a proto field.</summary>
    private enum Shape { String, Bool, Double, Int64, Strings, Any, Anys, Message, Messages, Map, TypeItem, ItemsItem }

    private sealed record Field(string Json, int Number, Shape Shape, Func<Spec>? Value = null);

    /// <summary>A message: its fields and where its <c>x-</c> extensions go (0: nowhere). With a
    /// <see cref="RestField"/>, every other property is a (name, value) pair of that field (Paths, Responses).
    /// A <see cref="Custom"/> encoder replaces all that for oneof wrappers and other irregular messages.</summary>
    private sealed record Spec(Field[] Fields, int Extensions = 0, Field? RestField = null, Func<JsonNode, ByteString>? Custom = null);

    private static ByteString Message(JsonNode node, Spec spec)
    {
        if (spec.Custom is { } custom)
            return custom(node);
        var obj = node.AsObject();
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            foreach (var field in spec.Fields)
            {
                if (obj[field.Json] is { } value)
                    WriteField(output, field, value);
            }
            if (spec.RestField is { } rest)
                WritePairs(output, rest, obj.Where(p => !IsExtension(p.Key) && spec.Fields.All(f => f.Json != p.Key)));
            if (spec.Extensions > 0)
                WritePairs(output, new Field("", spec.Extensions, Shape.Any), obj.Where(p => IsExtension(p.Key)));
        }
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private static bool IsExtension(string name) => name.StartsWith("x-", StringComparison.Ordinal);

    /// <summary>Writes pairs as repeated Named* messages {1 name, 2 value} of <paramref name="field"/>.</summary>
    private static void WritePairs(CodedOutputStream output, Field field, IEnumerable<KeyValuePair<string, JsonNode?>> pairs)
    {
        foreach (var (name, value) in pairs)
        {
            if (value is null)
                continue;
            WriteBytes(output, field.Number, Encoded(pair =>
            {
                WriteString(pair, 1, name);
                WriteField(pair, field with { Number = 2 }, value);
            }));
        }
    }

    /// <summary>The bytes <paramref name="write"/> produces: the body of a nested message.</summary>
    private static ByteString Encoded(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
            write(output);
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private static void WriteField(CodedOutputStream output, Field field, JsonNode node)
    {
        switch (field.Shape)
        {
            case Shape.String: WriteString(output, field.Number, (string?)node); break;
            case Shape.Bool: WriteBool(output, field.Number, (bool)node); break;
            case Shape.Double:
                var number = double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);
                if (number != 0)
                {
                    output.WriteTag(field.Number, WireFormat.WireType.Fixed64);
                    output.WriteDouble(number);
                }
                break;
            case Shape.Int64:
                var integer = long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);
                if (integer != 0)
                {
                    output.WriteTag(field.Number, WireFormat.WireType.Varint);
                    output.WriteInt64(integer);
                }
                break;
            case Shape.Strings: WriteStrings(output, field.Number, node); break;
            case Shape.TypeItem: WriteBytes(output, field.Number, Encoded(item => WriteStrings(item, 1, node))); break;
            case Shape.Any: WriteBytes(output, field.Number, AnyOf(node)); break;
            case Shape.Anys:
                foreach (var item in node.AsArray())
                    WriteBytes(output, field.Number, AnyOf(item));
                break;
            case Shape.Message: WriteBytes(output, field.Number, Message(node, field.Value!())); break;
            case Shape.Messages:
                foreach (var item in node.AsArray())
                    WriteBytes(output, field.Number, Message(item!, field.Value!()));
                break;
            case Shape.Map:
                // A map message: its pairs are its repeated field 1 (gnostic's additional_properties).
                WriteBytes(output, field.Number, Encoded(map => WritePairs(map, new Field("", 1, Shape.Message, field.Value), node.AsObject())));
                break;
            case Shape.ItemsItem:
                // Schema.items: one schema or an array of them, both a repeated Schema in ItemsItem.
                var schemas = node is JsonArray array ? array.Select(n => n!) : [node];
                WriteBytes(output, field.Number, Encoded(items =>
                {
                    foreach (var schema in schemas)
                        WriteBytes(items, 1, Message(schema, Specs.Schema));
                }));
                break;
        }
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A string or an array of strings, as a repeated string field.</summary>
    private static void WriteStrings(CodedOutputStream output, int number, JsonNode node)
    {
        var values = node is JsonArray array ? array.Select(n => (string?)n) : [(string?)node];
        foreach (var value in values)
        {
            output.WriteTag(number, WireFormat.WireType.LengthDelimited);
            output.WriteString(value ?? "");
        }
    }

    private static void WriteBool(CodedOutputStream output, int number, bool value)
    {
        if (!value)
            return;
        output.WriteTag(number, WireFormat.WireType.Varint);
        output.WriteBool(true);
    }

    /// <summary>A oneof wrapper holding <paramref name="encoded"/> as its field <paramref name="number"/>.</summary>
    private static ByteString Wrap(int number, ByteString encoded) => Encoded(output => WriteBytes(output, number, encoded));

    /// <summary>gnostic's Any: field 2 is the value as YAML; compact JSON is valid YAML.</summary>
    private static ByteString AnyOf(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(node is null ? "null" : node.ToJsonString(JsonOptions) + "\n");
        }
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void WriteString(CodedOutputStream output, int number, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void WriteBytes(CodedOutputStream output, int number, ByteString bytes)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(bytes);
    }

    /// <summary>The message layouts of OpenAPIv2.proto, by field number. Lambdas defer the references
    /// between specs that are declared later or are recursive.</summary>
    private static class Specs
    {
        private static Field S(string json, int n) => new(json, n, Shape.String);
        private static Field B(string json, int n) => new(json, n, Shape.Bool);
        private static Field D(string json, int n) => new(json, n, Shape.Double);
        private static Field I(string json, int n) => new(json, n, Shape.Int64);
        private static Field L(string json, int n) => new(json, n, Shape.Strings);
        private static Field A(string json, int n) => new(json, n, Shape.Any);
        private static Field As(string json, int n) => new(json, n, Shape.Anys);
        private static Field M(string json, int n, Func<Spec> spec) => new(json, n, Shape.Message, spec);
        private static Field Ms(string json, int n, Func<Spec> spec) => new(json, n, Shape.Messages, spec);
        private static Field Map(string json, int n, Func<Spec> spec) => new(json, n, Shape.Map, spec);
        private static Spec Custom(Func<JsonNode, ByteString> encode) => new([], Custom: encode);

        private static readonly Spec ExternalDocs = new([S("description", 1), S("url", 2)], 3);
        private static readonly Spec Contact = new([S("name", 1), S("url", 2), S("email", 3)], 4);
        private static readonly Spec License = new([S("name", 1), S("url", 2)], 3);
        private static readonly Spec Info = new([S("title", 1), S("version", 2), S("description", 3), S("termsOfService", 4),
            M("contact", 5, () => Contact), M("license", 6, () => License)], 7);
        private static readonly Spec JsonReference = new([S("$ref", 1), S("description", 2)]);
        private static readonly Spec Xml = new([S("name", 1), S("namespace", 2), S("prefix", 3), B("attribute", 4), B("wrapped", 5)], 6);

        /// <summary>AdditionalPropertiesItem {1 Schema | 2 bool}; a set oneof member is written even when false.</summary>
        private static readonly Spec AdditionalProperties = Custom(n => n is JsonObject
            ? Wrap(1, Message(n, Schema!))
            : Encoded(o =>
            {
                o.WriteTag(2, WireFormat.WireType.Varint);
                o.WriteBool((bool)n);
            }));

        public static readonly Spec Schema = new([
            S("$ref", 1), S("format", 2), S("title", 3), S("description", 4), A("default", 5), D("multipleOf", 6),
            D("maximum", 7), B("exclusiveMaximum", 8), D("minimum", 9), B("exclusiveMinimum", 10), I("maxLength", 11),
            I("minLength", 12), S("pattern", 13), I("maxItems", 14), I("minItems", 15), B("uniqueItems", 16),
            I("maxProperties", 17), I("minProperties", 18), L("required", 19), As("enum", 20),
            M("additionalProperties", 21, () => AdditionalProperties), new("type", 22, Shape.TypeItem),
            new("items", 23, Shape.ItemsItem), Ms("allOf", 24, () => Schema!), Map("properties", 25, () => Schema!),
            S("discriminator", 26), B("readOnly", 27), M("xml", 28, () => Xml), M("externalDocs", 29, () => ExternalDocs),
            A("example", 30)], 31);

        private static readonly Spec FileSchema = new([S("format", 1), S("title", 2), S("description", 3), A("default", 4),
            L("required", 5), S("type", 6), B("readOnly", 7), M("externalDocs", 8, () => ExternalDocs), A("example", 9)], 10);

        /// <summary>PrimitivesItems, Header and the non-body parameters share this run of validation fields.</summary>
        private static Field[] Primitive(int first) =>
        [
            S("type", first), S("format", first + 1), M("items", first + 2, () => PrimitivesItems!), S("collectionFormat", first + 3),
            A("default", first + 4), D("maximum", first + 5), B("exclusiveMaximum", first + 6), D("minimum", first + 7),
            B("exclusiveMinimum", first + 8), I("maxLength", first + 9), I("minLength", first + 10), S("pattern", first + 11),
            I("maxItems", first + 12), I("minItems", first + 13), B("uniqueItems", first + 14), As("enum", first + 15),
            D("multipleOf", first + 16),
        ];

        private static readonly Spec PrimitivesItems = new(Primitive(1), 18);
        private static readonly Spec Header = new([.. Primitive(1), S("description", 18)], 19);

        private static readonly Field[] ParameterHead = [B("required", 1), S("in", 2), S("description", 3), S("name", 4)];

        // Query and formData parameters have allowEmptyValue (5) before the shared run; header and path do not.
        private static readonly Spec WithEmptyValue = new([.. ParameterHead, B("allowEmptyValue", 5), .. Primitive(6)], 23);
        private static readonly Spec WithoutEmptyValue = new([.. ParameterHead, .. Primitive(5)], 22);

        private static readonly Spec BodyParameter = new([S("description", 1), S("name", 2), S("in", 3), B("required", 4),
            M("schema", 5, () => Schema)], 6);

        /// <summary>Parameter {1 BodyParameter | 2 NonBodyParameter {1 header | 2 formData | 3 query | 4 path}}.</summary>
        private static readonly Spec Parameter = Custom(n => (string?)n["in"] switch
        {
            "body" => Wrap(1, Message(n, BodyParameter)),
            "header" => Wrap(2, Wrap(1, Message(n, WithoutEmptyValue))),
            "formData" => Wrap(2, Wrap(2, Message(n, WithEmptyValue))),
            "query" => Wrap(2, Wrap(3, Message(n, WithEmptyValue))),
            _ => Wrap(2, Wrap(4, Message(n, WithoutEmptyValue))),
        });

        /// <summary>ParametersItem {1 Parameter | 2 JsonReference}.</summary>
        private static readonly Spec ParametersItem = Custom(n =>
            n["$ref"] is null ? Wrap(1, Message(n, Parameter)) : Wrap(2, Message(n, JsonReference)));

        /// <summary>Response.schema is a SchemaItem {1 Schema | 2 FileSchema}.</summary>
        private static readonly Spec SchemaItem = Custom(n =>
            (string?)n["type"] == "file" ? Wrap(2, Message(n, FileSchema)) : Wrap(1, Message(n, Schema)));

        private static readonly Spec AnyValue = Custom(AnyOf);

        private static readonly Spec Response = new([S("description", 1), M("schema", 2, () => SchemaItem),
            Map("headers", 3, () => Header), Map("examples", 4, () => AnyValue)], 5);

        /// <summary>ResponseValue {1 Response | 2 JsonReference}.</summary>
        private static readonly Spec ResponseValue = Custom(n =>
            n["$ref"] is null ? Wrap(1, Message(n, Response)) : Wrap(2, Message(n, JsonReference)));

        private static readonly Spec Responses = new([], 2, M("", 1, () => ResponseValue));

        /// <summary>SecurityRequirement {repeated NamedStringArray {1 name, 2 StringArray {repeated 1 value}}}.</summary>
        private static readonly Spec StringArray = Custom(n => Encoded(o => WriteStrings(o, 1, n)));
        private static readonly Spec SecurityRequirement = new([], RestField: M("", 1, () => StringArray));

        private static readonly Spec Operation = new([L("tags", 1), S("summary", 2), S("description", 3),
            M("externalDocs", 4, () => ExternalDocs), S("operationId", 5), L("produces", 6), L("consumes", 7),
            Ms("parameters", 8, () => ParametersItem), M("responses", 9, () => Responses), L("schemes", 10),
            B("deprecated", 11), Ms("security", 12, () => SecurityRequirement)], 13);

        private static readonly Spec PathItem = new([S("$ref", 1), M("get", 2, () => Operation), M("put", 3, () => Operation),
            M("post", 4, () => Operation), M("delete", 5, () => Operation), M("options", 6, () => Operation),
            M("head", 7, () => Operation), M("patch", 8, () => Operation), Ms("parameters", 9, () => ParametersItem)], 10);

        private static readonly Spec Paths = new([], 1, M("", 2, () => PathItem));

        /// <summary>SecurityDefinitionsItem {1 basic | 2 apiKey | 3..6 oauth2 flows, unused by Kubernetes}.</summary>
        private static readonly Spec SecurityScheme = Custom(n => (string?)n["type"] switch
        {
            "basic" => Wrap(1, Message(n, new([S("type", 1), S("description", 2)], 3))),
            "apiKey" => Wrap(2, Message(n, new([S("type", 1), S("name", 2), S("in", 3), S("description", 4)], 5))),
            _ => ByteString.Empty,
        });

        private static readonly Spec Tag = new([S("name", 1), S("description", 2), M("externalDocs", 3, () => ExternalDocs)], 4);

        public static readonly Spec Document = new([
            S("swagger", 1), M("info", 2, () => Info), S("host", 3), S("basePath", 4), L("schemes", 5), L("consumes", 6),
            L("produces", 7), M("paths", 8, () => Paths), Map("definitions", 9, () => Schema),
            Map("parameters", 10, () => Parameter), Map("responses", 11, () => Response),
            Ms("security", 12, () => SecurityRequirement), Map("securityDefinitions", 13, () => SecurityScheme),
            Ms("tags", 14, () => Tag), M("externalDocs", 15, () => ExternalDocs)], 16);
    }
}
