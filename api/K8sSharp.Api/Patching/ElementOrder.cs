using System.Text.Json.Nodes;

namespace K8sSharp.Api.Patching;

/// <summary>
/// Final ordering of a merged list, after upstream's normalizeElementOrder/mergeSortedSlice: items present in
/// the patch (or <c>$setElementOrder</c>) list are sorted by it, server-only items by the original list, and the
/// two runs are interleaved so that a server-only item goes first only when both are known to the original and
/// it came first there. Items are identified by merge key value (maps) or by value (primitives).
/// </summary>
internal static class ElementOrder
{
    public static List<JsonNode?> Normalize(List<JsonNode?> merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var inPatch = merged.Where(item => IndexOf(patchOrder, item, mergeKey) >= 0).ToList();
        var serverOnly = merged.Where(item => IndexOf(patchOrder, item, mergeKey) < 0).ToList();
        return MergeSorted(SortBy(serverOnly, serverOrder, mergeKey), SortBy(inPatch, patchOrder, mergeKey), serverOrder, mergeKey);
    }

    public static bool SameItem(JsonNode? left, JsonNode? right, string? mergeKey) =>
        Identity(left, mergeKey) is var (found, id) && found
        && Identity(right, mergeKey) is var (otherFound, otherId) && otherFound
        && JsonNode.DeepEquals(id, otherId);

    /// <summary>Stable sort by position in <paramref name="order"/>; items it does not name keep their relative order at the end.</summary>
    private static List<JsonNode?> SortBy(List<JsonNode?> items, List<JsonNode?> order, string? mergeKey) =>
        [.. items.OrderBy(item => IndexOf(order, item, mergeKey) is var i && i >= 0 ? i : int.MaxValue)];

    private static List<JsonNode?> MergeSorted(List<JsonNode?> left, List<JsonNode?> right, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (j >= right.Count || (i < left.Count && LeftFirst(left[i], right[j], serverOrder, mergeKey)))
            {
                result.Add(left[i++]);
            }
            else
            {
                result.Add(right[j++]);
            }
        }
        return result;
    }

    private static bool LeftFirst(JsonNode? left, JsonNode? right, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var li = IndexOf(serverOrder, left, mergeKey);
        var ri = IndexOf(serverOrder, right, mergeKey);
        return li >= 0 && ri >= 0 && li < ri;
    }

    private static int IndexOf(List<JsonNode?> list, JsonNode? item, string? mergeKey) => list.FindIndex(candidate => SameItem(candidate, item, mergeKey));

    /// <summary>A map without the merge key has no identity and matches nothing (upstream would reject it).</summary>
    private static (bool Found, JsonNode? Id) Identity(JsonNode? node, string? mergeKey) => mergeKey is null
        ? (true, node)
        : node is JsonObject map && map.TryGetPropertyValue(mergeKey, out var id) ? (true, id) : (false, null);
}
