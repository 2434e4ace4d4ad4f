namespace K8sSharp.Api.Apply;

/// <summary>A field the applier would change that another manager owns.</summary>
public sealed record ApplyConflict(ManagedFieldsEntry Owner, IReadOnlyList<PathElement> Path)
{
    /// <summary>The owner as upstream prints it, e.g. <c>"kubectl" with subresource "scale" using apps/v1</c>.</summary>
    public string Manager => Owner.Describe();

    /// <summary>The path as upstream prints it, e.g. <c>.spec.template.spec.containers[name="nginx"].image</c>.</summary>
    public string Field => PathElement.FormatPath(Path);
}

/// <summary>
/// Server-side apply refused because of conflicts (upstream answers 409 Conflict with one
/// <c>FieldManagerConflict</c> cause per conflict). The message is upstream's <c>getConflictMessage</c> text.
/// </summary>
public sealed class ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts) : Exception(Format(conflicts))
{
    public IReadOnlyList<ApplyConflict> Conflicts { get; } = conflicts;

    private static string Format(IReadOnlyList<ApplyConflict> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].Manager}: {conflicts[0].Field}";
        }
        var lines = new List<string>();
        foreach (var group in conflicts.GroupBy(c => c.Manager).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            lines.Add($"conflicts with {group.Key}:");
            lines.AddRange(group.Select(c => $"- {c.Field}"));
        }
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
