using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Apply;

/// <summary>What a write needs to know to track field ownership.</summary>
/// <param name="Schema">The kind's schema (null: untyped, maps granular and lists atomic).</param>
/// <param name="ResetFields">Fields the endpoint resets and nobody owns through it (upstream's ResetFields,
/// e.g. <c>.status</c> on the main resource of a kind with a status subresource).</param>
/// <param name="Subresource">The subresource written (e.g. <c>status</c>), recorded on the entry.</param>
public sealed record FieldManagerContext(JsonObject? Schema, SchemaIndex Schemas, DateTimeOffset Now, FieldSet? ResetFields = null, string? Subresource = null)
{
    internal FieldType Type => FieldType.Of(Schema, Schemas);

    internal FieldSet Reset => ResetFields ?? new FieldSet();
}

/// <summary>
/// Reads and writes <c>metadata.managedFields</c> and records ownership for non-apply writes (upstream's
/// fieldmanager <c>Update</c>): the fields a write adds or changes become its manager's (Update entry) and leave
/// every other set; removed fields leave every set. Metadata the server owns is never tracked.
/// </summary>
public static class ManagedFields
{
    /// <summary>Paths removed from a writer's set after each operation (upstream's stripMetaManager).</summary>
    internal static readonly FieldSet StripSet = FieldSet.Of(
        [PathElement.Field("apiVersion")],
        [PathElement.Field("kind")],
        [PathElement.Field("metadata")],
        Meta("name"), Meta("namespace"), Meta("creationTimestamp"), Meta("selfLink"), Meta("uid"), Meta("clusterName"),
        Meta("generation"), Meta("managedFields"), Meta("resourceVersion"));

    private static PathElement[] Meta(string field) => [PathElement.Field("metadata"), PathElement.Field(field)];

    /// <exception cref="FormatException">An entry is malformed.</exception>
    public static List<ManagedFieldsEntry> Read(JsonObject? obj)
    {
        if (obj?["metadata"]?["managedFields"] is not JsonArray list)
        {
            return [];
        }
        return list.Select(e => ManagedFieldsEntry.FromJson(e as JsonObject ?? throw new FormatException("a managedFields entry must be an object"))).ToList();
    }

    /// <summary>Writes the non-empty entries in upstream's order, or removes the field when none is left.</summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var kept = entries.Where(e => !e.Fields.IsEmpty).ToList();
        kept.Sort(ManagedFieldsEntry.Order);
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }
        if (kept.Count == 0)
        {
            metadata.Remove("managedFields");
            return;
        }
        metadata["managedFields"] = new JsonArray(kept.Select(e => (JsonNode)e.ToJson()).ToArray());
    }

    /// <summary>
    /// Records a create, update or non-apply patch on <paramref name="newObj"/>'s managedFields. When the request
    /// itself carries a non-empty managedFields that decodes (kubectl's client-side-apply migration replaces it by
    /// JSON patch), those entries are the starting point, as given; otherwise the old object's are, so clients that
    /// drop the field cannot erase it. <c>[{}]</c> therefore clears ownership. A failure drops managedFields, as
    /// upstream's <c>UpdateNoErrors</c> does.
    /// </summary>
    public static void UpdateForWrite(JsonObject? oldObj, JsonObject newObj, string manager, FieldManagerContext context)
    {
        ArgumentNullException.ThrowIfNull(newObj);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var entries = ClientEntries(newObj) ?? Read(oldObj);
            // The comparison skips metadata.managedFields itself: no copies of the two objects without it.
            var comparison = ObjectComparer.Compare(oldObj, newObj, context.Type).Without(context.Reset);
            var changed = comparison.Changed;
            var apiVersion = newObj["apiVersion"]?.GetValue<string>() ?? string.Empty;
            var writer = new ManagedFieldsEntry(manager, ManagedFieldsEntry.Update, apiVersion, context.Now, new FieldSet(), context.Subresource);
            var result = new List<ManagedFieldsEntry>();
            foreach (var entry in entries)
            {
                var remaining = entry with { Fields = entry.Fields.Difference(changed).Difference(comparison.Removed) };
                if (entry.SameIdentity(writer) && !changed.IsEmpty)
                {
                    writer = writer with { Fields = remaining.Fields };
                    continue;
                }
                result.Add(remaining);
            }
            var owned = writer.Fields.Union(changed.Difference(StripSet));
            if (!changed.IsEmpty && !owned.IsEmpty)
            {
                result.Add(writer with { Fields = owned });
            }
            Write(newObj, result);
        }
        catch (Exception e) when (e is FormatException or ApplyException or InvalidOperationException)
        {
            (newObj["metadata"] as JsonObject)?.Remove("managedFields");
        }
    }

    private static List<ManagedFieldsEntry>? ClientEntries(JsonObject obj)
    {
        try
        {
            var entries = Read(obj);
            return entries.Count > 0 ? entries : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A copy without metadata.managedFields (ownership is not part of what writes compare).</summary>
    internal static JsonObject? WithoutManagedFields(JsonObject? obj)
    {
        if (obj is null)
        {
            return null;
        }
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }
}
