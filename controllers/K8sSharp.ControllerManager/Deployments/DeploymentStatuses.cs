using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>The deployment status computed from its ReplicaSets (upstream calculateStatus and syncRolloutStatus's conditions).</summary>
internal static class DeploymentStatuses
{
    /// <summary>Counts from the ReplicaSets, conditions carried over, Available set from maxUnavailable.</summary>
    public static V1DeploymentStatus Calculate(IReadOnlyList<V1ReplicaSet> allRSs, V1ReplicaSet? newRS, V1Deployment d, DateTimeOffset now)
    {
        var available = ReplicaSetCounts.Available(allRSs);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = ReplicaSetCounts.Actual(allRSs),
            UpdatedReplicas = ReplicaSetCounts.Actual([newRS]),
            ReadyReplicas = ReplicaSetCounts.Ready(allRSs),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, ReplicaSetCounts.Spec(allRSs) - available),
            CollisionCount = d.Status?.CollisionCount,
            Conditions = d.Status?.Conditions?.Select(Copy).ToList(),
        };
        DeploymentConditions.Set(status, available >= RollingMath.Replicas(d) - RollingMath.MaxUnavailable(d)
            ? DeploymentConditions.New(DeploymentConditions.Available, "True", DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now)
            : DeploymentConditions.New(DeploymentConditions.Available, "False", DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    /// <summary>
    /// The status after a rollout step (upstream syncRolloutStatus): the Progressing verdict, and the first
    /// ReplicaFailure condition of the ReplicaSets (the new one's first) mirrored onto the deployment.
    /// </summary>
    public static V1DeploymentStatus Rollout(IReadOnlyList<V1ReplicaSet> allRSs, V1ReplicaSet? newRS, V1Deployment d, DateTimeOffset now)
    {
        var status = Calculate(allRSs, newRS, d, now);
        if (DeploymentConditions.HasProgressDeadline(d))
        {
            SetProgressing(status, newRS, d, now);
        }
        else
        {
            DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
        }
        if (ReplicaFailure(allRSs, newRS) is { } failure)
        {
            DeploymentConditions.Set(status, failure);
        }
        else
        {
            DeploymentConditions.Remove(status, DeploymentConditions.ReplicaFailure);
        }
        return status;
    }

    /// <summary>
    /// Progressing becomes NewReplicaSetAvailable once complete, ReplicaSetUpdated while progress is made (keeping
    /// lastTransitionTime of a True condition), and ProgressDeadlineExceeded when nothing moved for
    /// progressDeadlineSeconds. A completed rollout is not revisited.
    /// </summary>
    private static void SetProgressing(V1DeploymentStatus status, V1ReplicaSet? newRS, V1Deployment d, DateTimeOffset now)
    {
        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (status.Replicas == status.UpdatedReplicas && current?.Reason == DeploymentConditions.NewReplicaSetAvailable)
        {
            return;
        }
        var subject = newRS is null ? $"Deployment \"{d.Metadata.Name}\"" : $"ReplicaSet \"{newRS.Metadata.Name}\"";
        if (DeploymentConditions.IsComplete(d, status))
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(
                DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetAvailable, $"{subject} has successfully progressed.", now));
        }
        else if (DeploymentConditions.IsProgressing(d, status))
        {
            var condition = DeploymentConditions.New(
                DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdated, $"{subject} is progressing.", now);
            if (current is not null)
            {
                if (current.Status == "True")
                {
                    condition.LastTransitionTime = current.LastTransitionTime;
                }
                DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
            }
            DeploymentConditions.Set(status, condition);
        }
        else if (DeploymentConditions.IsTimedOut(d, status, now))
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(
                DeploymentConditions.Progressing, "False", DeploymentConditions.ProgressDeadlineExceeded, $"{subject} has timed out progressing.", now));
        }
    }

    /// <summary>The new RS's ReplicaFailure condition, else the first of any RS, as a deployment condition (upstream getReplicaFailures).</summary>
    private static V1DeploymentCondition? ReplicaFailure(IReadOnlyList<V1ReplicaSet> allRSs, V1ReplicaSet? newRS)
    {
        var failure = newRS?.Status?.Conditions?.FirstOrDefault(c => c.Type == DeploymentConditions.ReplicaFailure)
            ?? allRSs.SelectMany(rs => rs.Status?.Conditions ?? []).FirstOrDefault(c => c.Type == DeploymentConditions.ReplicaFailure);
        return failure is null ? null : new V1DeploymentCondition
        {
            Type = failure.Type,
            Status = failure.Status,
            Reason = failure.Reason,
            Message = failure.Message,
            LastTransitionTime = failure.LastTransitionTime,
            LastUpdateTime = failure.LastTransitionTime,
        };
    }

    /// <summary>Whether two statuses are the same (upstream compares with reflect.DeepEqual before writing).</summary>
    public static bool Same(V1DeploymentStatus? a, V1DeploymentStatus b) =>
        a is not null && KubernetesJson.Serialize(Normalize(a)) == KubernetesJson.Serialize(Normalize(b));

    private static V1DeploymentStatus Normalize(V1DeploymentStatus s) => new()
    {
        ObservedGeneration = s.ObservedGeneration ?? 0,
        Replicas = s.Replicas ?? 0,
        UpdatedReplicas = s.UpdatedReplicas ?? 0,
        ReadyReplicas = s.ReadyReplicas ?? 0,
        AvailableReplicas = s.AvailableReplicas ?? 0,
        UnavailableReplicas = s.UnavailableReplicas ?? 0,
        CollisionCount = s.CollisionCount,
        Conditions = s.Conditions is { Count: > 0 } c ? c : null,
    };

    private static V1DeploymentCondition Copy(V1DeploymentCondition c) => new()
    {
        Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastUpdateTime = c.LastUpdateTime, LastTransitionTime = c.LastTransitionTime,
    };
}
