using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Apply;

/// <summary>How a list merges and names its items (structured-merge-diff's list element relationship).</summary>
internal enum ListType
{
    Atomic,
    Set,
    Map,
}

/// <summary>
/// The merge semantics of one node of an object, read from the OpenAPI schema the way kube-openapi's schemaconv
/// builds structured-merge-diff types: <c>x-kubernetes-list-type</c>/<c>-list-map-keys</c> and
/// <c>x-kubernetes-map-type</c>, falling back to <c>x-kubernetes-patch-strategy: merge</c> (with a merge key a
/// list-type map, without one a set); other lists are atomic. Without a schema ("deduced") maps are granular with
/// every entry undeclared and lists are atomic. Extensions are looked up on the property node, then on its target.
/// </summary>
internal sealed class FieldType
{
    public static readonly FieldType Deduced = new(null, null, null);

    private readonly SchemaIndex? schemas;
    private readonly JsonObject? property;
    private readonly JsonObject? resolved;

    private FieldType(SchemaIndex? schemas, JsonObject? property, JsonObject? resolved)
    {
        this.schemas = schemas;
        this.property = property;
        this.resolved = resolved;
    }

    /// <summary>Types by schema node: the schemas are immutable, and every write walks the same few hundred nodes.</summary>
    private static readonly ConditionalWeakTable<JsonObject, FieldType> BySchema = [];

    private int listType = -1;
    private IReadOnlyList<string>? listKeys;

    public static FieldType Of(JsonObject? schema, SchemaIndex schemas) =>
        schema is null ? Deduced : BySchema.GetValue(schema, s => Create(s, schemas));

    private static FieldType Create(JsonObject schema, SchemaIndex schemas)
    {
        var resolved = schemas.Resolve(schema);
        var untyped = resolved["type"] is null && resolved["properties"] is null && resolved["additionalProperties"] is null && resolved["items"] is null;
        return untyped && Extension(schema, resolved, "x-kubernetes-list-type") is null ? Deduced : new FieldType(schemas, schema, resolved);
    }

    public bool IsAtomicMap => Extension("x-kubernetes-map-type") == "atomic";

    /// <summary>The type of a map entry and whether it is a declared struct field (entries of maps are not).</summary>
    public (FieldType Type, bool Declared) Field(string name)
    {
        if (resolved is null || schemas is null)
        {
            return (Deduced, false);
        }
        if (resolved["properties"]?[name] is JsonObject declared)
        {
            return (Of(declared, schemas), true);
        }
        return resolved["additionalProperties"] is JsonObject values ? (Of(values, schemas), false) : (Deduced, false);
    }

    /// <summary>A declared field whose value is a Go map (nil in zero objects), e.g. labels or nodeSelector.</summary>
    public bool IsPlainMap => resolved is not null && resolved["properties"] is null && resolved["additionalProperties"] is JsonObject;

    /// <summary>Read once (an int, so racing first reads cannot see half a value).</summary>
    public ListType ListType => (ListType)(listType >= 0 ? listType : listType = (int)ReadListType());

    private ListType ReadListType()
    {
        switch (Extension("x-kubernetes-list-type"))
        {
            case "map": return ListType.Map;
            case "set": return ListType.Set;
            case "atomic": return ListType.Atomic;
        }
        var strategy = Extension("x-kubernetes-patch-strategy") ?? string.Empty;
        if (!strategy.Split(',').Contains("merge"))
        {
            return ListType.Atomic;
        }
        return Extension("x-kubernetes-patch-merge-key") is null ? ListType.Set : ListType.Map;
    }

    public IReadOnlyList<string> ListKeys => listKeys ??=
        (property?["x-kubernetes-list-map-keys"] ?? resolved?["x-kubernetes-list-map-keys"]) is JsonArray keys
            ? keys.Select(k => (string)k!).ToList()
            : Extension("x-kubernetes-patch-merge-key") is { } key ? [key] : [];

    public FieldType Item => resolved?["items"] is JsonObject items && schemas is not null ? Of(items, schemas) : Deduced;

    /// <summary>The schema default of a key field of the list's items (e.g. a container port's protocol, TCP).</summary>
    public JsonNode? KeyDefault(string key)
    {
        var item = Item;
        return item.resolved?["properties"]?[key] is JsonObject keySchema && item.schemas is not null
            ? (keySchema["default"] ?? item.schemas.Resolve(keySchema)["default"])?.DeepClone()
            : null;
    }

    /// <summary>
    /// The path element naming <paramref name="item"/> in this list: <c>k:</c> with its key fields (schema defaults
    /// for absent ones) for a list-type map, <c>v:</c> for a set, null for an atomic list.
    /// </summary>
    /// <exception cref="ApplyException">An item of a list-type map lacks a key field that has no default.</exception>
    public PathElement? ItemElement(JsonNode? item)
    {
        switch (ListType)
        {
            case ListType.Set:
                return PathElement.ValueOf(item);
            case ListType.Map:
                var fields = new List<KeyValuePair<string, JsonNode?>>();
                foreach (var key in ListKeys)
                {
                    var value = (item as JsonObject)?[key]?.DeepClone() ?? KeyDefault(key)
                        ?? throw new ApplyException($"associative list with keys has an element that omits key field \"{key}\" (and doesn't have default value)");
                    fields.Add(new(key, value));
                }
                return PathElement.Key(fields);
            default:
                return null;
        }
    }

    private string? Extension(string name) => Extension(property, resolved, name);

    private static string? Extension(JsonObject? property, JsonObject? resolved, string name) =>
        (property?[name] ?? resolved?[name]) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>An apply that cannot be computed: an unkeyed list item, malformed managedFields. Upstream answers 500/400.</summary>
public sealed class ApplyException(string message) : Exception(message);
