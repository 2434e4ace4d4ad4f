using k8s.Models;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>Deployment condition types, reasons and the helpers over them (upstream deployment_util.go).</summary>
internal static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string NewReplicaSetCreated = "NewReplicaSetCreated";
    public const string FoundNewReplicaSet = "FoundNewReplicaSet";
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";
    public const string ReplicaSetCreateError = "ReplicaSetCreateError";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string DeploymentPaused = "DeploymentPaused";
    public const string DeploymentResumed = "DeploymentResumed";
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    /// <summary>A condition stamped now; metav1.Time has whole seconds, so the stamp is truncated to match what is read back.</summary>
    public static V1DeploymentCondition New(string type, string status, string reason, string message, DateTimeOffset now)
    {
        var stamp = new DateTime(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return new V1DeploymentCondition { Type = type, Status = status, Reason = reason, Message = message, LastUpdateTime = stamp, LastTransitionTime = stamp };
    }

    public static V1DeploymentCondition? Get(V1DeploymentStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>
    /// Adds or replaces the condition of its type (upstream SetDeploymentCondition): nothing changes when status and
    /// reason are the same; lastTransitionTime is kept when only the reason changes.
    /// </summary>
    public static void Set(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        var current = Get(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }
        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }
        Remove(status, condition.Type);
        status.Conditions = [.. status.Conditions ?? [], condition];
    }

    public static void Remove(V1DeploymentStatus status, string type) =>
        status.Conditions = status.Conditions?.Where(c => c.Type != type).ToList();

    /// <summary>progressDeadlineSeconds is set and not the "never" value MaxInt32 (upstream HasProgressDeadline).</summary>
    public static bool HasProgressDeadline(V1Deployment d) =>
        d.Spec.ProgressDeadlineSeconds is { } seconds && seconds != int.MaxValue;

    /// <summary>Every replica updated, present and available, and the status reflects the latest spec (DeploymentComplete).</summary>
    public static bool IsComplete(V1Deployment d, V1DeploymentStatus status)
    {
        var replicas = RollingMath.Replicas(d);
        return (status.UpdatedReplicas ?? 0) == replicas && (status.Replicas ?? 0) == replicas
            && (status.AvailableReplicas ?? 0) == replicas && (status.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0);
    }

    /// <summary>The new status shows progress over the stored one: more updated, ready or available, or fewer old pods (DeploymentProgressing).</summary>
    public static bool IsProgressing(V1Deployment d, V1DeploymentStatus status)
    {
        var old = d.Status ?? new V1DeploymentStatus();
        var oldOld = (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0);
        var newOld = (status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0);
        return (status.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0) || newOld < oldOld
            || (status.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0) || (status.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    /// <summary>No progress was recorded for progressDeadlineSeconds (DeploymentTimedOut).</summary>
    public static bool IsTimedOut(V1Deployment d, V1DeploymentStatus status, DateTimeOffset now)
    {
        if (!HasProgressDeadline(d) || Get(status, Progressing) is not { } condition || condition.Reason == NewReplicaSetAvailable)
        {
            return false;
        }
        if (condition.Reason == ProgressDeadlineExceeded)
        {
            return true;
        }
        return condition.LastUpdateTime is { } from && Utc(from).AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) < now;
    }

    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
