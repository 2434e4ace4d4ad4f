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

    public static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, FieldManagerContext context)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Type;
        var entries = ReadLive(live);
        var appliedSet = FieldSet.FromObject(applied, context.Schema, context.Schemas);
        var owned = appliedSet.RecursiveDifference(context.Reset);
        var before = ManagedFields.WithoutManagedFields(live) ?? new JsonObject();
        var merged = (JsonObject)ObjectMerger.Merge(before, applied, type)!;
        var previous = entries.Find(e => e.Manager == manager && e.IsApply && (e.Subresource ?? "") == (context.Subresource ?? ""));
        var others = entries.Where(e => !ReferenceEquals(e, previous)).ToList();
        if (previous is not null)
        {
            var stillOwned = others.Aggregate(owned, (set, e) => set.Union(e.Fields));
            Pruner.Prune(merged, previous.Fields, stillOwned, type);
        }
        var comparison = ObjectComparer.Compare(before, merged, type).Without(context.Reset);
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
