using k8s.Models;

namespace K8sSharp.ControllerManager.Namespaces;

/// <summary>
/// The five conditions the namespace controller keeps on a Terminating namespace (upstream's
/// <c>status_condition_utils.go</c>): each is True with a failure reason while its problem lasts and False with the
/// "ok" reason otherwise. lastTransitionTime moves only when a condition's status flips.
/// </summary>
internal static class NamespaceDeletionConditions
{
    public const string DiscoveryFailure = "NamespaceDeletionDiscoveryFailure";
    public const string GroupVersionParsingFailure = "NamespaceDeletionGroupVersionParsingFailure";
    public const string ContentFailure = "NamespaceDeletionContentFailure";
    public const string ContentRemaining = "NamespaceContentRemaining";
    public const string FinalizersRemaining = "NamespaceFinalizersRemaining";

    private static readonly (string Type, string Reason, string Message)[] Ok =
    [
        (DiscoveryFailure, "ResourcesDiscovered", "All resources successfully discovered"),
        (GroupVersionParsingFailure, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
        (ContentFailure, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
        (ContentRemaining, "ContentRemoved", "All content successfully removed"),
        (FinalizersRemaining, "ContentRemoved", "All content successfully removed"),
    ];

    /// <summary>Brings <paramref name="conditions"/> in line with the report; true when anything changed.</summary>
    public static bool Update(IList<V1NamespaceCondition> conditions, NamespaceContentReport report, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var failures = Failures(report).ToDictionary(f => f.Type);
        var changed = false;
        foreach (var (type, okReason, okMessage) in Ok)
        {
            var (status, reason, message) = failures.TryGetValue(type, out var failure) ? ("True", failure.Reason, failure.Message) : ("False", okReason, okMessage);
            var old = conditions.FirstOrDefault(c => c.Type == type);
            if (old is null)
            {
                conditions.Add(new V1NamespaceCondition { Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = now });
                changed = true;
            }
            else if (old.Status != status || old.Reason != reason || old.Message != message)
            {
                old.LastTransitionTime = old.Status != status ? now : old.LastTransitionTime;
                (old.Status, old.Reason, old.Message) = (status, reason, message);
                changed = true;
            }
        }
        return changed;
    }

    private static IEnumerable<(string Type, string Reason, string Message)> Failures(NamespaceContentReport report)
    {
        if (report.DiscoveryError is { } discovery)
        {
            yield return (DiscoveryFailure, "DiscoveryFailed", discovery);
        }
        if (report.DeleteErrors.Count > 0)
        {
            var errors = report.DeleteErrors.Order(StringComparer.Ordinal);
            yield return (ContentFailure, "ContentDeletionFailed",
                $"Failed to delete all resource types, {report.DeleteErrors.Count} remaining: {string.Join(", ", errors)}");
        }
        var remaining = report.Remaining.Where(r => r.Value > 0)
            .Select(r => $"{r.Key.Resource}.{r.Key.Group} has {r.Value} resource instances").Order(StringComparer.Ordinal).ToList();
        if (remaining.Count > 0)
        {
            yield return (ContentRemaining, "SomeResourcesRemain", "Some resources are remaining: " + string.Join(", ", remaining));
        }
        var finalizers = report.FinalizersRemaining.Where(f => f.Value > 0)
            .Select(f => $"{f.Key} in {f.Value} resource instances").Order(StringComparer.Ordinal).ToList();
        if (finalizers.Count > 0)
        {
            yield return (FinalizersRemaining, "SomeFinalizerRemain", "Some finalizers are remaining: " + string.Join(", ", finalizers));
        }
    }
}
