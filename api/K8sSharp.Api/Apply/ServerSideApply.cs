using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.Api.Apply;

/// <summary>The outcome of an apply: the object to store (with managedFields) and whether it differs from live.</summary>
public sealed record ApplyResult(JsonObject Object, bool Changed);

/// <summary>
/// Server-side apply (PATCH <c>application/apply-patch+yaml</c>), following structured-merge-diff's
/// <c>Updater.Apply</c> under kube-apiserver's fieldmanager: merge the applied configuration into the live object,
/// prune what the manager applied before and nobody owns any more, refuse (or with force, take over) fields
/// other managers own that the apply changes, then make the manager's Apply entry exactly the applied set.
/// </summary>
public static class ServerSideApply
{
    /// <param name="live">The stored object, or null when the apply creates it.</param>
    /// <param name="applied">The applied configuration (without managedFields); it is not modified.</param>
    /// <exception cref="ApplyConflictException">Another manager owns a field the apply changes, and force is off.</exception>
    /// <exception cref="ApplyException">The configuration cannot be typed (e.g. a list-type map item without its key).</exception>
    public static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, JsonObject? schema, SchemaIndex schemas, DateTimeOffset now) =>
        Apply(live, applied, manager, force, new FieldManagerContext(schema, schemas, now));

    /// <remarks>For the manager <c>kubectl</c>, the client-side apply bridge applies (see <see cref="LastApplied"/>).</remarks>
    public static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, FieldManagerContext context)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(context);
        if (manager != LastApplied.KubectlManager)
        {
            return ApplyCore(live, applied, manager, force, context);
        }
        ApplyResult result;
        try
        {
            result = ApplyCore(live, applied, manager, force, context);
        }
        catch (ApplyConflictException e) when (LastApplied.AllowsConflicts(live, e.Conflicts, context))
        {
            result = ApplyCore(live, applied, manager, force: true, context);
        }
        LastApplied.Update(live, result.Object, applied);
        return result with { Changed = result.Changed || !JsonNode.DeepEquals(result.Object["metadata"]?["annotations"], live?["metadata"]?["annotations"]) };
    }

    private static ApplyResult ApplyCore(JsonObject? live, JsonObject applied, string manager, bool force, FieldManagerContext context)
    {
        var type = context.Type;
        var entries = ReadLive(live);
        var appliedSet = FieldSet.FromObject(applied, context.Schema, context.Schemas);
        var owned = appliedSet.RecursiveDifference(context.Reset);
        var before = ManagedFields.WithoutManagedFields(live) ?? new JsonObject();
        // Merged onto live itself (managedFields included) so that the field keeps its place in metadata.
        var merged = (JsonObject)ObjectMerger.Merge(live ?? [], applied, type)!;
        var previous = entries.Find(e => e.Manager == manager && e.IsApply && (e.Subresource ?? "") == (context.Subresource ?? ""));
        var others = entries.Where(e => !ReferenceEquals(e, previous)).ToList();
        if (previous is not null)
        {
            var stillOwned = others.Aggregate(owned, (set, e) => set.Union(e.Fields));
            Pruner.Prune(merged, previous.Fields, stillOwned, type);
        }
        var comparison = ObjectComparer.Compare(before, ManagedFields.WithoutManagedFields(merged)!, type).Without(context.Reset);
        var changed = comparison.Changed;
        var conflicts = others.SelectMany(e => e.Fields.Intersection(changed).Paths().Select(p => new ApplyConflict(e, p))).ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw new ApplyConflictException(conflicts);
        }
        var result = others.Select(e => e with { Fields = e.Fields.Difference(changed).Difference(comparison.Removed) }).ToList();
        var apiVersion = applied["apiVersion"]?.GetValue<string>() ?? string.Empty;
        var time = comparison.IsSame && previous?.Time is { } kept ? kept : context.Now;
        result.Add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.Apply, apiVersion, time, owned.Difference(ManagedFields.StripSet), context.Subresource));
        ManagedFields.Write(merged, result);
        return new ApplyResult(merged, live is null || !comparison.IsSame);
    }

    private static List<ManagedFieldsEntry> ReadLive(JsonObject? live)
    {
        try
        {
            return ManagedFields.Read(live);
        }
        catch (FormatException e)
        {
            throw new ApplyException($"failed to decode managed fields: {e.Message}");
        }
    }
}
