using k8s.Models;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>Sums and filters over a deployment's ReplicaSets (upstream deployment_util.go); nulls are skipped.</summary>
internal static class ReplicaSetCounts
{
    /// <summary>Sum of spec.replicas (GetReplicaCountForReplicaSets).</summary>
    public static int Spec(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(RollingMath.Replicas);

    /// <summary>Sum of status.replicas (GetActualReplicaCountForReplicaSets).</summary>
    public static int Actual(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(rs => rs?.Status?.Replicas ?? 0);

    public static int Ready(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(rs => rs?.Status?.ReadyReplicas ?? 0);

    public static int Available(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(rs => rs?.Status?.AvailableReplicas ?? 0);

    /// <summary>ReplicaSets with spec.replicas &gt; 0 (FilterActiveReplicaSets).</summary>
    public static List<V1ReplicaSet> Active(IEnumerable<V1ReplicaSet?> replicaSets) =>
        [.. replicaSets.OfType<V1ReplicaSet>().Where(rs => RollingMath.Replicas(rs) > 0)];

    /// <summary>The list with <paramref name="newRS"/> appended when there is one (append(oldRSs, newRS) without the nil).</summary>
    public static List<V1ReplicaSet> With(IEnumerable<V1ReplicaSet> oldRSs, V1ReplicaSet? newRS) =>
        newRS is null ? [.. oldRSs] : [.. oldRSs, newRS];

    /// <summary>Oldest first, ties by name (ReplicaSetsByCreationTimestamp).</summary>
    public static IOrderedEnumerable<V1ReplicaSet> ByCreation(IEnumerable<V1ReplicaSet> replicaSets) =>
        replicaSets.OrderBy(rs => rs.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal);

    /// <summary>Largest first, ties oldest first (ReplicaSetsBySizeOlder): who gives up replicas first.</summary>
    public static List<V1ReplicaSet> BySizeOlder(IEnumerable<V1ReplicaSet> replicaSets) =>
        [.. replicaSets.OrderByDescending(RollingMath.Replicas)
            .ThenBy(rs => rs.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>Largest first, ties newest first (ReplicaSetsBySizeNewer): who gets replicas first.</summary>
    public static List<V1ReplicaSet> BySizeNewer(IEnumerable<V1ReplicaSet> replicaSets) =>
        [.. replicaSets.OrderByDescending(RollingMath.Replicas)
            .ThenByDescending(rs => rs.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenByDescending(rs => rs.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>Lowest revision first, ties by creation (ReplicaSetsByRevision): the order old ReplicaSets are cleaned up in.</summary>
    public static List<V1ReplicaSet> ByRevision(IEnumerable<V1ReplicaSet> replicaSets) =>
        [.. replicaSets.OrderBy(DeploymentAnnotations.RevisionOf)
            .ThenBy(rs => rs.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal)];
}
