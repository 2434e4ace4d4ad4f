using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Preemption;

/// <summary>Which potential victims' deletion would violate a PodDisruptionBudget (upstream's filterPodsWithPDBViolation).</summary>
internal static class DisruptionBudgets
{
    /// <summary>
    /// Splits <paramref name="pods"/> (order kept) into those whose deletion, counted in that order, takes some matching
    /// budget's status.disruptionsAllowed below zero, and the rest. A budget with an empty selector matches nothing; a
    /// pod already in a budget's status.disruptedPods is not counted against it again (the API server has processed it).
    /// </summary>
    public static (List<PodInfo> Violating, List<PodInfo> NonViolating) Split(IReadOnlyList<PodInfo> pods, IReadOnlyList<V1PodDisruptionBudget> budgets)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(budgets);
        var allowed = budgets.Select(b => b.Status?.DisruptionsAllowed ?? 0).ToArray();
        var violating = new List<PodInfo>();
        var nonViolating = new List<PodInfo>();
        foreach (var pod in pods)
        {
            var violates = false;
            for (var i = 0; i < budgets.Count; i++)
            {
                if (Covers(budgets[i], pod) && --allowed[i] < 0)
                {
                    violates = true;
                }
            }
            (violates ? violating : nonViolating).Add(pod);
        }
        return (violating, nonViolating);
    }

    private static bool Covers(V1PodDisruptionBudget budget, PodInfo pod) =>
        budget.Metadata?.NamespaceProperty == pod.Namespace
        && pod.Pod.Metadata.Labels is { Count: > 0 }
        && budget.Spec?.Selector is { } selector
        && ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0)) > 0
        && LabelSelectors.Matches(selector, pod.Labels)
        && budget.Status?.DisruptedPods?.ContainsKey(pod.Pod.Metadata.Name) != true;
}
