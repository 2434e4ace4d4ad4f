using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Patching;

/// <summary>
/// Patch metadata of one field of an object schema: its resolved value schema, the list-item schema, the
/// strategy (<c>merge</c>, <c>replace</c> or none) and the merge key. Unknown fields (or a null parent
/// schema) get no strategy, which means maps merge and lists are replaced.
/// </summary>
internal readonly record struct PatchField(JsonObject? ValueSchema, JsonObject? ItemSchema, string? Strategy, string? MergeKey)
{
    public bool IsMergeList => Strategy == "merge";

    public bool IsReplace => Strategy == "replace";

    public static PatchField Lookup(JsonObject? parent, string key, SchemaIndex schemas)
    {
        if (parent is null)
        {
            return default;
        }
        var property = parent["properties"]?[key] as JsonObject ?? parent["additionalProperties"] as JsonObject;
        if (property is null)
        {
            return default;
        }
        var value = schemas.Resolve(property);
        var items = value["items"] is JsonObject itemSchema ? schemas.Resolve(itemSchema) : null;
        var strategy = StrategyOf(property) ?? StrategyOf(value);
        var mergeKey = (string?)(property["x-kubernetes-patch-merge-key"] ?? value["x-kubernetes-patch-merge-key"]);
        return new PatchField(value, items, strategy, mergeKey);
    }

    /// <summary>"merge,retainKeys" → "merge": retainKeys itself is driven by the <c>$retainKeys</c> directive in the patch.</summary>
    private static string? StrategyOf(JsonObject schema)
    {
        if ((string?)schema["x-kubernetes-patch-strategy"] is not { } text)
        {
            return null;
        }
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(s => s != "retainKeys");
    }
}
