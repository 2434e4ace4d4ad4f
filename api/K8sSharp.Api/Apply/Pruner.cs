using System.Text.Json.Nodes;

namespace K8sSharp.Api.Apply;

/// <summary>
/// Removes from a merged object what an applier stopped applying (upstream's <c>Updater.prune</c>): a path the
/// manager's previous Apply set held (field ancestors included) that no manager owns any more (the new applied set
/// and every other manager's set, field ancestors included) disappears with its whole subtree.
/// </summary>
internal static class Pruner
{
    public static void Prune(JsonObject merged, FieldSet lastApplied, FieldSet stillOwned, FieldType type) =>
        Walk(merged, lastApplied.WithFieldAncestors(), stillOwned.WithFieldAncestors(), type);

    private static void Walk(JsonNode? node, FieldSet last, FieldSet? owned, FieldType type)
    {
        switch (node)
        {
            case JsonObject map when !type.IsAtomicMap:
                foreach (var key in map.Select(p => p.Key).ToList())
                {
                    var element = PathElement.Field(key);
                    if (Visit(element, last, owned, out var below))
                    {
                        map.Remove(key);
                    }
                    else if (below is not null)
                    {
                        Walk(map[key], below, owned?.Child(element), type.Field(key).Type);
                    }
                }
                break;
            case JsonArray list when type.ListType != ListType.Atomic:
                PruneList(list, last, owned, type);
                break;
        }
    }

    private static void PruneList(JsonArray list, FieldSet last, FieldSet? owned, FieldType type)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            PathElement? element;
            try
            {
                element = type.ItemElement(list[i]);
            }
            catch (ApplyException)
            {
                continue;
            }
            if (element is null)
            {
                return;
            }
            if (Visit(element, last, owned, out var below))
            {
                list.RemoveAt(i);
            }
            else if (below is not null)
            {
                Walk(list[i], below, owned?.Child(element), type.Item);
            }
        }
    }

    /// <returns>Whether the element goes; otherwise <paramref name="below"/> is the previous set under it, if any.</returns>
    private static bool Visit(PathElement element, FieldSet last, FieldSet? owned, out FieldSet? below)
    {
        below = last.Child(element);
        return last.HasMember(element) && owned?.HasMember(element) != true;
    }
}
