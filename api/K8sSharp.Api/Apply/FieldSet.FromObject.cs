using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Apply;

public sealed partial class FieldSet
{
    /// <summary>
    /// The fields a value sets, as upstream's <c>TypedValue.ToFieldSet</c> computes them: scalars, nulls, empty maps,
    /// atomic lists and atomic maps are leaves; granular maps recurse, and their undeclared entries (labels, data...)
    /// are members too; items of list-type maps (<c>k:</c>) and sets (<c>v:</c>) are members and recurse.
    /// Nothing is stripped: callers remove apiVersion, kind, metadata.name and the like.
    /// </summary>
    /// <param name="schema">The kind's schema; null treats the whole object as untyped.</param>
    /// <exception cref="ApplyException">A list-type map item lacks a key field.</exception>
    public static FieldSet FromObject(JsonObject obj, JsonObject? schema, SchemaIndex schemas)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schemas);
        var set = new FieldSet();
        Collect(obj, FieldType.Of(schema, schemas), [], set);
        return set;
    }

    internal static void Collect(JsonNode? value, FieldType type, List<PathElement> path, FieldSet set)
    {
        switch (value)
        {
            case JsonObject map when !type.IsAtomicMap:
                CollectMap(map, type, path, set);
                break;
            case JsonArray list when type.ListType != ListType.Atomic:
                CollectList(list, type, path, set);
                break;
            default:
                set.Insert(path);
                break;
        }
    }

    private static void CollectMap(JsonObject map, FieldType type, List<PathElement> path, FieldSet set)
    {
        foreach (var (key, child) in map)
        {
            var (childType, declared) = type.Field(key);
            List<PathElement> childPath = [.. path, PathElement.Field(key)];
            Collect(child, childType, childPath, set);
            if (child is null || child is JsonObject { Count: 0 } || !declared)
            {
                set.Insert(childPath);
            }
        }
    }

    private static void CollectList(JsonArray list, FieldType type, List<PathElement> path, FieldSet set)
    {
        var itemType = type.Item;
        foreach (var item in list)
        {
            List<PathElement> itemPath = [.. path, type.ItemElement(item)!];
            Collect(item, itemType, itemPath, set);
            set.Insert(itemPath);
        }
    }
}
