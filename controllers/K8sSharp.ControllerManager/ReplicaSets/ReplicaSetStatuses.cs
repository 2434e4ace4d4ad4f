using System.Text.Json.Nodes;
using k8s.Models;
using K8sSharp.Client.Cache;

namespace K8sSharp.ControllerManager.ReplicaSets;

/// <summary>The ReplicaSet status counts (upstream calculateStatus), computed from the pods the ReplicaSet owns.</summary>
internal static class ReplicaSetStatuses
{
    public static V1ReplicaSetStatus Compute(V1ReplicaSet rs, IReadOnlyCollection<V1Pod> owned, DateTimeOffset now)
    {
        var templateLabels = rs.Spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        return new V1ReplicaSetStatus
        {
            Replicas = owned.Count,
            // Pods carrying every template label: lets a Deployment tell relabelled pods apart.
            FullyLabeledReplicas = owned.Count(p => LabelSelectors.Matches(templateLabels, p.Metadata.Labels)),
            ReadyReplicas = owned.Count(Pods.IsReady),
            AvailableReplicas = owned.Count(p => Pods.IsAvailable(p, minReady, now)),
            ObservedGeneration = rs.Metadata.Generation,
            Conditions = rs.Status?.Conditions,
        };
    }

    public static bool Same(V1ReplicaSetStatus? current, V1ReplicaSetStatus next) =>
        current is not null
        && current.Replicas == next.Replicas
        && (current.FullyLabeledReplicas ?? 0) == next.FullyLabeledReplicas
        && (current.ReadyReplicas ?? 0) == next.ReadyReplicas
        && (current.AvailableReplicas ?? 0) == next.AvailableReplicas
        && current.ObservedGeneration == next.ObservedGeneration;

    /// <summary>The counts as a merge-patch body for the status subresource; conditions are left as they are.</summary>
    public static JsonObject ToPatch(V1ReplicaSetStatus status) => new()
    {
        ["replicas"] = status.Replicas,
        ["fullyLabeledReplicas"] = status.FullyLabeledReplicas,
        ["readyReplicas"] = status.ReadyReplicas,
        ["availableReplicas"] = status.AvailableReplicas,
        ["observedGeneration"] = status.ObservedGeneration,
    };
}
