using K8sSharp.Client.Dynamic;

namespace K8sSharp.ControllerManager.Namespaces;

/// <summary>
/// What one pass of emptying a namespace found: whether discovery worked, the objects still there per resource, the
/// finalizers holding them, and the deletions that failed. The namespace may be finalized only when
/// <see cref="IsEmpty"/>.
/// </summary>
internal sealed class NamespaceContentReport
{
    public string? DiscoveryError { get; set; }

    public Dictionary<GroupVersionResource, int> Remaining { get; } = [];

    public Dictionary<string, int> FinalizersRemaining { get; } = new(StringComparer.Ordinal);

    public List<string> DeleteErrors { get; } = [];

    public bool IsEmpty => DiscoveryError is null && DeleteErrors.Count == 0 && Remaining.Values.All(n => n == 0);

    /// <summary>Counts what is left of one resource after its deletion was asked for.</summary>
    public void AddRemaining(GroupVersionResource resource, IReadOnlyList<PartialObjectMetadata> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }
        Remaining[resource] = items.Count;
        foreach (var finalizer in items.SelectMany(i => i.Metadata.Finalizers ?? []))
        {
            FinalizersRemaining[finalizer] = FinalizersRemaining.GetValueOrDefault(finalizer) + 1;
        }
    }
}
