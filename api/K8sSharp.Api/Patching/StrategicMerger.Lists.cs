using System.Text.Json;
using System.Text.Json.Nodes;
using static K8sSharp.Api.Patching.StrategicMergePatch;

namespace K8sSharp.Api.Patching;

/// <summary>The list half of strategic merge patch: merge-key lists, primitive sets and <c>$setElementOrder</c>.</summary>
internal sealed partial class StrategicMerger
{
    /// <summary>Lists without the <c>merge</c> strategy are atomic: the patch value replaces them.</summary>
    private JsonArray MergeList(JsonArray original, JsonArray patch, PatchField field) =>
        field.IsMergeList ? new JsonArray([.. MergeSlice(Detach(original), patch, field)]) : (JsonArray)patch.DeepClone();

    /// <summary>
    /// Merges a <c>merge</c>-strategy list. Primitive lists become the ordered union; map lists match items by
    /// merge key, honour <c>$patch: delete|replace</c> items, and append unmatched items. The final order is
    /// upstream's: patch items in patch order interleaved with server-only items by their original position,
    /// which puts brand-new items (absent from the original) ahead of the remaining server-only ones.
    /// </summary>
    private List<JsonNode?> MergeSlice(List<JsonNode?> original, JsonArray patch, PatchField field)
    {
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }
        if (!ElementsAreMaps(original, patch))
        {
            var union = new List<JsonNode?>();
            foreach (var item in original.Concat(patch.Select(p => p?.DeepClone())))
            {
                if (!union.Any(u => JsonNode.DeepEquals(u, item)))
                {
                    union.Add(item);
                }
            }
            return ElementOrder.Normalize(union, [.. patch], original, mergeKey: null);
        }
        if (field.MergeKey is not { } mergeKey)
        {
            throw new PatchException("cannot merge lists without merge key for type map");
        }
        var (server, items) = SpecialElements(original, patch, mergeKey, field.ItemSchema);
        var merged = MergeByKey(server, items, mergeKey, field.ItemSchema);
        return ElementOrder.Normalize(merged, [.. items], server, mergeKey);
    }

    /// <summary>
    /// Applies the directive items of a map list: <c>{"$patch":"delete", key: v}</c> removes every original item
    /// with that key; <c>{"$patch":"replace"}</c> makes the other patch items the whole list. Returns the server
    /// items left and the plain patch items still to merge.
    /// </summary>
    private (List<JsonNode?> Server, List<JsonObject> Items) SpecialElements(List<JsonNode?> original, JsonArray patch, string mergeKey, JsonObject? itemSchema)
    {
        var server = new List<JsonNode?>(original);
        var items = new List<JsonObject>();
        var replace = false;
        foreach (var map in patch.Cast<JsonObject>())
        {
            if (!map.TryGetPropertyValue(PatchDirective, out var directive))
            {
                items.Add(map);
                continue;
            }
            switch ((directive as JsonValue)?.TryGetValue<string>(out var name) == true ? name : null)
            {
                case "delete":
                    var key = KeyOf(map, mergeKey);
                    server.RemoveAll(s => s is JsonObject o && o.TryGetPropertyValue(mergeKey, out var v) && JsonNode.DeepEquals(v, key));
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw BadPatchType(directive, map);
            }
        }
        return replace ? ([.. items.Select(i => (JsonNode?)MergeMap([], i, itemSchema))], []) : (server, items);
    }

    /// <summary>Merges each patch item into the server item with the same merge key, or appends it.</summary>
    private List<JsonNode?> MergeByKey(List<JsonNode?> server, List<JsonObject> items, string mergeKey, JsonObject? itemSchema)
    {
        var result = new List<JsonNode?>(server);
        foreach (var item in items)
        {
            var key = KeyOf(item, mergeKey);
            var index = result.FindIndex(n => n is JsonObject o && o.TryGetPropertyValue(mergeKey, out var v) && JsonNode.DeepEquals(v, key));
            if (index >= 0)
            {
                result[index] = MergeMap((JsonObject)result[index]!, item, itemSchema);
            }
            else
            {
                result.Add(MergeMap([], item, itemSchema));
            }
        }
        return result;
    }

    private static JsonNode KeyOf(JsonObject item, string mergeKey) =>
        item.TryGetPropertyValue(mergeKey, out var key) && key is not null ? key : throw NoMergeKey(item, mergeKey);

    /// <summary>
    /// Handles <c>$setElementOrder/field</c>: merges the field's patch list (if any) and then orders the result:
    /// items named in the order list follow it, the others keep their original relative position. Returns false
    /// when the field must instead go through ordinary processing (its patch value is not a list).
    /// </summary>
    private bool MergeOrderedList(JsonObject original, JsonObject patch, string field, JsonNode? orderNode, JsonObject? schema)
    {
        if (orderNode is not JsonArray order)
        {
            throw new PatchException(SetElementOrderFormatError);
        }
        var hasPatch = patch.TryGetPropertyValue(field, out var patchNode);
        var patchList = patchNode as JsonArray;
        var originalList = original[field] as JsonArray;
        if ((hasPatch && patchList is null) || (originalList is null && patchList is null))
        {
            return false;
        }
        var info = PatchField.Lookup(schema, field, schemas);
        var mergeKey = info.IsMergeList ? info.MergeKey : null;
        ValidateOrder(patchList, order, mergeKey);
        List<JsonNode?> serverOrder = originalList is null ? [] : [.. originalList];
        var merged = patchList is null ? Detach(originalList!) : Detach(MergeList(originalList ?? [], patchList, info));
        original[field] = new JsonArray([.. ElementOrder.Normalize(merged, [.. order], serverOrder, mergeKey)]);
        return true;
    }

    /// <summary>The non-deleting patch items must appear in the order list, in the same relative order.</summary>
    private static void ValidateOrder(JsonArray? patchList, JsonArray order, string? mergeKey)
    {
        if (patchList is null || patchList.Count == 0 || order.Count == 0)
        {
            return;
        }
        var items = patchList.Where(i => i is not JsonObject o || !o.ContainsKey(PatchDirective)).ToList();
        int p = 0, o = 0;
        while (p < items.Count && o < order.Count)
        {
            if (mergeKey is not null && items[p] is JsonObject map)
            {
                KeyOf(map, mergeKey);
            }
            if (ElementOrder.SameItem(items[p], order[o], mergeKey))
            {
                p++;
            }
            o++;
        }
        if (p < items.Count)
        {
            throw new PatchException($"The order in patch list:\n{GoFormat.Value(patchList)}\n doesn't match {SetElementOrderPrefix} list:\n{GoFormat.Value(order)}\n");
        }
    }

    /// <summary>True for lists of maps; lists mixing element types, or holding lists, are rejected as upstream does.</summary>
    private static bool ElementsAreMaps(List<JsonNode?> original, JsonArray patch)
    {
        var kinds = original.Concat(patch).Select(KindOf).Distinct(StringComparer.Ordinal).ToList();
        if (kinds.Contains("list"))
        {
            throw new PatchException("lists of lists are not supported");
        }
        if (kinds.Count > 1)
        {
            throw new PatchException($"list element types are not identical: [{GoFormat.Value(new JsonArray([.. original.Select(n => n?.DeepClone())]))} {GoFormat.Value(patch)}]");
        }
        return kinds.Count == 1 && kinds[0] == "map";
    }

    private static string KindOf(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject => "map",
        JsonArray => "list",
        _ => node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? "bool" : node.GetValueKind().ToString(),
    };
}
