using System.Text.Json.Nodes;

namespace K8sSharp.Api.Schema;

/// <summary>
/// The component schemas of the embedded OpenAPI v3 documents, looked up by GVK (through
/// <c>x-kubernetes-group-version-kind</c>) or by <c>$ref</c>. Schemas are shared read-only nodes.
/// </summary>
public sealed class SchemaIndex
{
    private const string RefPrefix = "#/components/schemas/";
    private static readonly Lazy<SchemaIndex> BuiltInIndex = new(() => new SchemaIndex(OpenApiDocuments.ByPath.Values));

    private readonly Dictionary<string, JsonObject> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<GroupVersionKind, JsonObject> byKind = [];

    public SchemaIndex(IEnumerable<OpenApiDocument> documents)
    {
        foreach (var document in documents)
        {
            if (document.Root["components"]?["schemas"] is not JsonObject schemas)
            {
                continue;
            }
            foreach (var (name, node) in schemas)
            {
                if (node is JsonObject schema && byName.TryAdd(name, schema))
                {
                    IndexKinds(schema);
                }
            }
        }
    }

    public static SchemaIndex BuiltIn => BuiltInIndex.Value;

    public JsonObject? ForKind(GroupVersionKind gvk) => byKind.GetValueOrDefault(gvk);

    /// <summary>Follows <c>$ref</c> and single-element <c>allOf</c> wrappers to the schema that carries the type.</summary>
    public JsonObject Resolve(JsonObject schema)
    {
        for (var depth = 0; depth < 16; depth++)
        {
            if (schema["$ref"] is JsonValue reference && byName.TryGetValue(((string)reference!).Replace(RefPrefix, string.Empty, StringComparison.Ordinal), out var target))
            {
                schema = target;
            }
            else if (schema["allOf"] is JsonArray { Count: 1 } allOf && allOf[0] is JsonObject inner)
            {
                schema = inner;
            }
            else
            {
                return schema;
            }
        }
        return schema;
    }

    private void IndexKinds(JsonObject schema)
    {
        if (schema["x-kubernetes-group-version-kind"] is not JsonArray kinds)
        {
            return;
        }
        foreach (var kind in kinds.OfType<JsonObject>())
        {
            byKind.TryAdd(new GroupVersionKind((string)kind["group"]!, (string)kind["version"]!, (string)kind["kind"]!), schema);
        }
    }
}
