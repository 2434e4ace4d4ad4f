using System.Text.Json.Nodes;

namespace K8sSharp.Api.Apply;

/// <summary>The leaf paths that a write added, modified and removed (upstream's <c>typed.Comparison</c>).</summary>
internal sealed record Comparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    public FieldSet Changed => Added.Union(Modified);

    public Comparison Without(FieldSet ignored) =>
        new(Added.RecursiveDifference(ignored), Modified.RecursiveDifference(ignored), Removed.RecursiveDifference(ignored));
}

/// <summary>
/// Compares two versions of an object under the schema, as upstream's <c>TypedValue.Compare</c>: leaves (scalars,
/// atomic lists and maps, type changes) are added, removed or modified; granular maps and keyed lists recurse.
/// A container that appears or disappears is recorded itself only where upstream's zero-valued Go objects would
/// lack it: list items, map entries, and declared fields holding Go maps (labels, annotations...). Struct fields
/// such as <c>spec</c> are not, so ownership after a create reads like kube-apiserver's (pointer structs aside).
/// </summary>
internal static class ObjectComparer
{
    public static Comparison Compare(JsonObject? before, JsonObject after, FieldType type)
    {
        var result = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        Walk([], true, before ?? [], true, after, type, result);
        return result;
    }

    private static void Walk(List<PathElement> path, bool hasLeft, JsonNode? left, bool hasRight, JsonNode? right, FieldType type, Comparison result)
    {
        var l = hasLeft ? left : null;
        var r = hasRight ? right : null;
        if (!type.IsAtomicMap && (l ?? r) is JsonObject && (!hasLeft || l is JsonObject) && (!hasRight || r is JsonObject))
        {
            WalkMap(path, l as JsonObject, r as JsonObject, type, result);
            return;
        }
        if (type.ListType != ListType.Atomic && (l ?? r) is JsonArray && (!hasLeft || l is JsonArray) && (!hasRight || r is JsonArray))
        {
            WalkList(path, l as JsonArray, r as JsonArray, type, result);
            return;
        }
        if (!hasLeft)
        {
            result.Added.Insert(path);
        }
        else if (!hasRight)
        {
            result.Removed.Insert(path);
        }
        else if (!JsonNode.DeepEquals(left, right))
        {
            result.Modified.Insert(path);
        }
    }

    private static void WalkMap(List<PathElement> path, JsonObject? left, JsonObject? right, FieldType type, Comparison result)
    {
        foreach (var key in KeysOf(left, right))
        {
            if (IsManagedFields(path, key))
            {
                continue;
            }
            var (fieldType, declared) = type.Field(key);
            JsonNode? l = null, r = null;
            var hasLeft = left?.TryGetPropertyValue(key, out l) == true;
            var hasRight = right?.TryGetPropertyValue(key, out r) == true;
            List<PathElement> child = [.. path, PathElement.Field(key)];
            Walk(child, hasLeft, l, hasRight, r, fieldType, result);
            if (!declared || fieldType.IsPlainMap)
            {
                RecordContainer(child, hasLeft, l, hasRight, r, result);
            }
        }
    }

    /// <summary>The keys of either side, left's first; no set is built when a side is missing (every map of a create).</summary>
    private static List<string> KeysOf(JsonObject? left, JsonObject? right)
    {
        if (left is null || right is null)
        {
            return ((left ?? right)?.Select(p => p.Key) ?? []).ToList();
        }
        return left.Select(p => p.Key).Union(right.Select(p => p.Key)).ToList();
    }

    /// <summary>metadata.managedFields: ownership is never part of what a comparison reports (so callers need not copy objects without it).</summary>
    private static bool IsManagedFields(List<PathElement> path, string key) =>
        key == "managedFields" && path.Count == 1 && path[0].Kind == PathElementKind.Field && path[0].Name == "metadata";

    private static void WalkList(List<PathElement> path, JsonArray? left, JsonArray? right, FieldType type, Comparison result)
    {
        var itemType = type.Item;
        var l = ObjectMerger.Index(left ?? [], type).ToDictionary(e => e.Element, e => e.Item);
        var r = ObjectMerger.Index(right ?? [], type).ToDictionary(e => e.Element, e => e.Item);
        foreach (var element in l.Keys.Union(r.Keys))
        {
            var hasLeft = l.TryGetValue(element, out var li);
            var hasRight = r.TryGetValue(element, out var ri);
            List<PathElement> child = [.. path, element];
            Walk(child, hasLeft, li, hasRight, ri, itemType, result);
            RecordContainer(child, hasLeft, li, hasRight, ri, result);
        }
    }

    /// <summary>The post-item hook: a container that appeared or disappeared is added or removed itself.</summary>
    private static void RecordContainer(List<PathElement> path, bool hasLeft, JsonNode? left, bool hasRight, JsonNode? right, Comparison result)
    {
        if (!hasLeft && right is JsonObject or JsonArray)
        {
            result.Added.Insert(path);
        }
        else if (!hasRight && left is JsonObject or JsonArray)
        {
            result.Removed.Insert(path);
        }
    }
}
