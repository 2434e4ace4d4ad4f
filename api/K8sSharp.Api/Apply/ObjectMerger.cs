using System.Text.Json.Nodes;

namespace K8sSharp.Api.Apply;

/// <summary>
/// Merges an applied configuration into a live object following the schema (upstream's <c>TypedValue.Merge</c>):
/// the applied side wins on leaves; granular maps merge entry by entry; list-type maps merge items by key and sets
/// by value, keeping live-only items where they stood and shared items in the applied order; atomic lists and maps
/// are replaced. Nulls in the applied configuration remove the field. Inputs are not modified.
/// </summary>
internal static class ObjectMerger
{
    public static JsonNode? Merge(JsonNode? live, JsonNode? applied, FieldType type) => (live, applied) switch
    {
        (JsonObject l, JsonObject a) when !type.IsAtomicMap => MergeMap(l, a, type),
        (JsonArray l, JsonArray a) when type.ListType != ListType.Atomic => MergeList(l, a, type),
        _ => applied?.DeepClone(),
    };

    private static JsonObject MergeMap(JsonObject live, JsonObject applied, FieldType type)
    {
        var result = (JsonObject)live.DeepClone();
        foreach (var (key, value) in applied)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var merged = live.TryGetPropertyValue(key, out var current) && current is not null
                ? Merge(current, value, type.Field(key).Type)
                : value.DeepClone();
            result[key] = merged;
        }
        return result;
    }

    /// <summary>
    /// Upstream's ordering: walk both lists; an item only in live stays in place; a shared item is emitted when the
    /// applied list reaches it (live copies met out of turn are skipped); applied-only items come in applied order.
    /// </summary>
    private static JsonArray MergeList(JsonArray live, JsonArray applied, FieldType type)
    {
        var itemType = type.Item;
        var left = Index(live, type);
        var right = Index(applied, type);
        var leftItems = left.ToDictionary(e => e.Element, e => e.Item);
        var rightItems = right.ToDictionary(e => e.Element, e => e.Item);
        var shared = new Queue<PathElement>(right.Select(r => r.Element).Where(leftItems.ContainsKey));
        var next = shared.Count > 0 ? shared.Dequeue() : null;
        var emitted = new HashSet<PathElement>();
        var output = new JsonArray();
        int li = 0, ri = 0;
        while (li < left.Count || ri < right.Count)
        {
            if (li < left.Count && ri < right.Count && left[li].Element == right[ri].Element)
            {
                output.Add(Merge(leftItems[left[li].Element], rightItems[right[ri].Element], itemType));
                emitted.Add(left[li].Element);
                (li, ri) = (li + 1, ri + 1);
                next = shared.Count > 0 ? shared.Dequeue() : null;
                continue;
            }
            if (li < left.Count)
            {
                var element = left[li].Element;
                var inApplied = rightItems.ContainsKey(element);
                if (!inApplied || emitted.Contains(element) || (ri < right.Count && next is not null && next != element) || ri >= right.Count)
                {
                    if (!inApplied)
                    {
                        output.Add(left[li].Item?.DeepClone());
                    }
                    li++;
                    continue;
                }
            }
            var taken = right[ri].Element;
            output.Add(Merge(leftItems.GetValueOrDefault(taken), rightItems[taken], itemType));
            emitted.Add(taken);
            ri++;
            if (next == taken)
            {
                next = shared.Count > 0 ? shared.Dequeue() : null;
            }
        }
        return output;
    }

    /// <summary>The items with their path elements; later duplicates of an element are dropped.</summary>
    internal static List<(PathElement Element, JsonNode? Item)> Index(JsonArray list, FieldType type)
    {
        var seen = new HashSet<PathElement>();
        var result = new List<(PathElement, JsonNode?)>();
        foreach (var item in list)
        {
            var element = type.ItemElement(item)!;
            if (seen.Add(element))
            {
                result.Add((element, item));
            }
        }
        return result;
    }
}
