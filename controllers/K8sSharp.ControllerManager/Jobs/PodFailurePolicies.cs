using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>The outcome of matching a failed pod against spec.podFailurePolicy (upstream matchPodFailurePolicy).</summary>
/// <param name="FailJobMessage">Set when a FailJob rule matched: the message of the Job's failure condition.</param>
/// <param name="CountFailed">False when an Ignore rule matched: the failure does not count toward backoffLimit.</param>
/// <param name="Action">The matched rule's action, or null when no rule matched.</param>
internal sealed record PodFailureMatch(string? FailJobMessage, bool CountFailed, string? Action)
{
    public static readonly PodFailureMatch NoRule = new(null, true, null);
}

/// <summary>spec.podFailurePolicy: the first rule matching the pod's exit codes or conditions decides.</summary>
internal static class PodFailurePolicies
{
    public static PodFailureMatch Match(V1PodFailurePolicy? policy, V1Pod pod)
    {
        if (policy?.Rules is null)
        {
            return PodFailureMatch.NoRule;
        }
        for (var i = 0; i < policy.Rules.Count; i++)
        {
            var rule = policy.Rules[i];
            string? failJobMessage;
            if (rule.OnExitCodes is not null)
            {
                if (MatchExitCodes(pod.Status, rule.OnExitCodes) is not { } container)
                {
                    continue;
                }
                failJobMessage = string.Format(
                    CultureInfo.InvariantCulture, "Container {0} for pod {1}/{2} failed with exit code {3} matching {4} rule at index {5}",
                    container.Name, pod.Metadata.NamespaceProperty, pod.Metadata.Name, container.State.Terminated.ExitCode, rule.Action, i);
            }
            else if (rule.OnPodConditions is not null)
            {
                if (MatchConditions(pod.Status, rule.OnPodConditions) is not { } condition)
                {
                    continue;
                }
                failJobMessage = string.Format(
                    CultureInfo.InvariantCulture, "Pod {0}/{1} has condition {2} matching {3} rule at index {4}",
                    pod.Metadata.NamespaceProperty, pod.Metadata.Name, condition.Type, rule.Action, i);
            }
            else
            {
                continue;
            }
            switch (rule.Action)
            {
                case "Ignore":
                    return new PodFailureMatch(null, false, "Ignore");
                case "FailIndex":
                    return new PodFailureMatch(null, true, "FailIndex");
                case "Count":
                    return new PodFailureMatch(null, true, "Count");
                case "FailJob":
                    return new PodFailureMatch(failJobMessage, true, "FailJob");
            }
        }
        return PodFailureMatch.NoRule;
    }

    /// <summary>The first terminated container (then init container) with a non-zero exit code the requirement matches.</summary>
    private static V1ContainerStatus? MatchExitCodes(V1PodStatus? status, V1PodFailurePolicyOnExitCodesRequirement requirement) =>
        MatchExitCodes(status?.ContainerStatuses, requirement) ?? MatchExitCodes(status?.InitContainerStatuses, requirement);

    private static V1ContainerStatus? MatchExitCodes(IList<V1ContainerStatus>? statuses, V1PodFailurePolicyOnExitCodesRequirement requirement) =>
        statuses?.FirstOrDefault(s =>
            s.State?.Terminated is { ExitCode: not 0 } terminated
            && (requirement.ContainerName is null || requirement.ContainerName == s.Name)
            && requirement.OperatorProperty switch
            {
                "In" => requirement.Values.Contains(terminated.ExitCode),
                "NotIn" => !requirement.Values.Contains(terminated.ExitCode),
                _ => false,
            });

    private static V1PodCondition? MatchConditions(V1PodStatus? status, IList<V1PodFailurePolicyOnPodConditionsPattern> patterns) =>
        status?.Conditions?.FirstOrDefault(c => patterns.Any(p => p.Type == c.Type && (p.Status ?? "True") == c.Status));
}
