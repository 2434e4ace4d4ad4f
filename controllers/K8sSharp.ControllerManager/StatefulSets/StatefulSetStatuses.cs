using System.Text.Json.Nodes;
using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.StatefulSets;

/// <summary>The StatefulSet status (upstream computeReplicaStatus and completeRollingUpdate), from the pods it owns.</summary>
internal static class StatefulSetStatuses
{
    public static V1StatefulSetStatus Compute(
        V1StatefulSet set, IReadOnlyCollection<V1Pod> owned, string currentRevision, string updateRevision, DateTimeOffset now)
    {
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var live = owned.Where(p => !StatefulPods.IsTerminating(p)).ToList();
        var status = new V1StatefulSetStatus
        {
            Replicas = owned.Count,
            ReadyReplicas = owned.Count(StatefulPods.IsRunningAndReady),
            AvailableReplicas = owned.Count(p => StatefulPods.IsRunningAndReady(p) && Pods.IsAvailable(p, minReady, now)),
            CurrentReplicas = live.Count(p => StatefulPods.Revision(p) == currentRevision),
            UpdatedReplicas = live.Count(p => StatefulPods.Revision(p) == updateRevision),
            CurrentRevision = currentRevision,
            UpdateRevision = updateRevision,
            CollisionCount = set.Status?.CollisionCount ?? 0,
            ObservedGeneration = set.Metadata.Generation,
        };
        var rolling = (set.Spec.UpdateStrategy?.Type ?? "RollingUpdate") == "RollingUpdate";
        if (rolling && status.UpdatedReplicas == status.Replicas && status.ReadyReplicas == status.Replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }
        return status;
    }

    public static bool Same(V1StatefulSetStatus? a, V1StatefulSetStatus b) =>
        a is not null
        && a.Replicas == b.Replicas
        && (a.ReadyReplicas ?? 0) == b.ReadyReplicas
        && (a.AvailableReplicas ?? 0) == b.AvailableReplicas
        && (a.CurrentReplicas ?? 0) == b.CurrentReplicas
        && (a.UpdatedReplicas ?? 0) == b.UpdatedReplicas
        && a.CurrentRevision == b.CurrentRevision
        && a.UpdateRevision == b.UpdateRevision
        && (a.CollisionCount ?? 0) == b.CollisionCount
        && a.ObservedGeneration == b.ObservedGeneration;

    /// <summary>The status as a merge patch of the status subresource (conditions untouched).</summary>
    public static JsonObject ToPatch(V1StatefulSetStatus s) => new()
    {
        ["status"] = new JsonObject
        {
            ["replicas"] = s.Replicas,
            ["readyReplicas"] = s.ReadyReplicas,
            ["availableReplicas"] = s.AvailableReplicas,
            ["currentReplicas"] = s.CurrentReplicas,
            ["updatedReplicas"] = s.UpdatedReplicas,
            ["currentRevision"] = s.CurrentRevision,
            ["updateRevision"] = s.UpdateRevision,
            ["collisionCount"] = s.CollisionCount,
            ["observedGeneration"] = s.ObservedGeneration,
        },
    };
}
