using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>The two rollout strategies and the resize primitive they share (upstream rolling.go, recreate.go, sync.go scaleReplicaSet).</summary>
internal sealed partial class DeploymentController
{
    /// <summary>
    /// One step of a rolling update: grow the new RS within maxSurge, else shrink old ones within maxUnavailable, and
    /// once complete delete old RSes beyond revisionHistoryLimit. Status is written after whichever step acted.
    /// </summary>
    private async Task RolloutRollingAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, create: true, cancellationToken);
        var allRSs = ReplicaSetCounts.With(oldRSs, newRS);
        var acted = await ReconcileNewReplicaSetAsync(allRSs, newRS!, d, cancellationToken)
            || await ReconcileOldReplicaSetsAsync(allRSs, ReplicaSetCounts.Active(oldRSs), newRS!, d, cancellationToken);
        if (!acted && d.Status is { } status && DeploymentConditions.IsComplete(d, status))
        {
            await CleanupAsync(oldRSs, d, cancellationToken);
        }
        await SyncRolloutStatusAsync(allRSs, newRS, d, cancellationToken);
    }

    private async Task<bool> ReconcileNewReplicaSetAsync(List<V1ReplicaSet> allRSs, V1ReplicaSet newRS, V1Deployment d, CancellationToken cancellationToken)
    {
        var replicas = RollingMath.Replicas(d);
        if (RollingMath.Replicas(newRS) == replicas)
        {
            return false;
        }
        var target = RollingMath.Replicas(newRS) > replicas ? replicas : RollingMath.NewReplicaSetReplicas(d, allRSs, newRS);
        return await ScaleAsync(newRS, target, d, refreshAnnotations: false, cancellationToken);
    }

    /// <summary>
    /// Shrinks old RSes as far as availability allows (upstream reconcileOldReplicaSets): first their unavailable
    /// replicas (which cost no availability), then available ones down to replicas - maxUnavailable, oldest first.
    /// </summary>
    private async Task<bool> ReconcileOldReplicaSetsAsync(List<V1ReplicaSet> allRSs, List<V1ReplicaSet> oldRSs, V1ReplicaSet newRS, V1Deployment d, CancellationToken cancellationToken)
    {
        if (ReplicaSetCounts.Spec(oldRSs) == 0)
        {
            return false;
        }
        var minAvailable = RollingMath.Replicas(d) - RollingMath.MaxUnavailable(d);
        var newRSUnavailable = RollingMath.Replicas(newRS) - (newRS.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = ReplicaSetCounts.Spec(allRSs) - minAvailable - newRSUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }
        var cleaned = await ScaleDownUnhealthyAsync(oldRSs, d, maxScaledDown, cancellationToken);
        var scaledDown = await ScaleDownAvailableAsync(ReplicaSetCounts.With(oldRSs, newRS), oldRSs, d, cancellationToken);
        return cleaned + scaledDown > 0;
    }

    /// <summary>Removes replicas old RSes have but that are not available, oldest RS first (upstream cleanupUnhealthyReplicas).</summary>
    private async Task<int> ScaleDownUnhealthyAsync(List<V1ReplicaSet> oldRSs, V1Deployment d, int maxCleanup, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var rs in ReplicaSetCounts.ByCreation(oldRSs).ToList())
        {
            var unavailable = RollingMath.Replicas(rs) - (rs.Status?.AvailableReplicas ?? 0);
            if (total >= maxCleanup)
            {
                break;
            }
            if (RollingMath.Replicas(rs) == 0 || unavailable <= 0)
            {
                continue;
            }
            var count = Math.Min(maxCleanup - total, unavailable);
            await ScaleAsync(rs, RollingMath.Replicas(rs) - count, d, refreshAnnotations: false, cancellationToken);
            total += count;
        }
        return total;
    }

    /// <summary>Removes available old replicas while more than replicas - maxUnavailable stay available (scaleDownOldReplicaSetsForRollingUpdate).</summary>
    private async Task<int> ScaleDownAvailableAsync(List<V1ReplicaSet> allRSs, List<V1ReplicaSet> oldRSs, V1Deployment d, CancellationToken cancellationToken)
    {
        var minAvailable = RollingMath.Replicas(d) - RollingMath.MaxUnavailable(d);
        var available = ReplicaSetCounts.Available(allRSs);
        if (available <= minAvailable)
        {
            return 0;
        }
        var wanted = available - minAvailable;
        var total = 0;
        foreach (var rs in ReplicaSetCounts.ByCreation(oldRSs).ToList())
        {
            if (total >= wanted)
            {
                break;
            }
            if (RollingMath.Replicas(rs) == 0)
            {
                continue;
            }
            var count = Math.Min(RollingMath.Replicas(rs), wanted - total);
            await ScaleAsync(rs, RollingMath.Replicas(rs) - count, d, refreshAnnotations: false, cancellationToken);
            total += count;
        }
        return total;
    }

    /// <summary>
    /// Recreate (upstream rolloutRecreate): old RSes to 0, wait until none of their pods is left running, then the new
    /// RS at full size in one step.
    /// </summary>
    private async Task RolloutRecreateAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, create: false, cancellationToken);
        var scaledDown = false;
        foreach (var rs in ReplicaSetCounts.Active(oldRSs))
        {
            scaledDown |= await ScaleAsync(rs, 0, d, refreshAnnotations: false, cancellationToken);
        }
        if (scaledDown || OldPodsRunning(d, newRS, oldRSs, rsList))
        {
            await SyncRolloutStatusAsync(ReplicaSetCounts.With(oldRSs, newRS), newRS, d, cancellationToken);
            return;
        }
        if (newRS is null)
        {
            (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, create: true, cancellationToken);
        }
        await ScaleAsync(newRS!, RollingMath.Replicas(d), d, refreshAnnotations: false, cancellationToken);
        if (d.Status is { } status && DeploymentConditions.IsComplete(d, status))
        {
            await CleanupAsync(oldRSs, d, cancellationToken);
        }
        await SyncRolloutStatusAsync(ReplicaSetCounts.With(oldRSs, newRS), newRS, d, cancellationToken);
    }

    /// <summary>Old RSes still report replicas, or a pod of one of the deployment's RSes other than the new one has not finished (upstream oldPodsRunning).</summary>
    private bool OldPodsRunning(V1Deployment d, V1ReplicaSet? newRS, List<V1ReplicaSet> oldRSs, List<V1ReplicaSet> rsList)
    {
        if (ReplicaSetCounts.Actual(oldRSs) > 0)
        {
            return true;
        }
        var oldUids = rsList.Where(rs => rs.Metadata.Uid != newRS?.Metadata.Uid).Select(rs => rs.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        return pods.List(d.Metadata.NamespaceProperty, d.Spec.Selector).Any(pod =>
            Pods.ControllerOf(pod.Metadata) is { } owner && oldUids.Contains(owner.Uid)
            && pod.Status?.Phase is not ("Succeeded" or "Failed"));
    }

    /// <summary>
    /// Resizes an RS (upstream scaleReplicaSet), refreshing its desired/max-replicas annotations; with
    /// <paramref name="refreshAnnotations"/> it is written even at the same size when they are stale. Records
    /// ScalingReplicaSet when the size changed. True when the size changed.
    /// </summary>
    private async Task<bool> ScaleAsync(V1ReplicaSet rs, int replicas, V1Deployment d, bool refreshAnnotations, CancellationToken cancellationToken)
    {
        var oldReplicas = RollingMath.Replicas(rs);
        var desired = RollingMath.Replicas(d);
        var max = desired + RollingMath.MaxSurge(d);
        var sizeChanges = oldReplicas != replicas;
        if (!sizeChanges && !(refreshAnnotations && DeploymentAnnotations.ReplicasNeedUpdate(rs, desired, max)))
        {
            return false;
        }
        var copy = Copy(rs);
        copy.Spec.Replicas = replicas;
        DeploymentAnnotations.SetReplicas(copy, desired, max);
        await ReplaceReplicaSetAsync(rs, copy, cancellationToken);
        if (sizeChanges)
        {
            var direction = oldReplicas < replicas ? "up" : "down";
            events.Event(d, EventTypes.Normal, "ScalingReplicaSet", $"Scaled {direction} replica set {rs.Metadata.Name} from {oldReplicas} to {replicas}");
        }
        return sizeChanges;
    }

    /// <summary>
    /// Deletes the oldest revisions beyond revisionHistoryLimit among old RSes that are fully scaled down and whose
    /// status is current (upstream cleanupDeployment); RSes being deleted do not count.
    /// </summary>
    private async Task CleanupAsync(List<V1ReplicaSet> oldRSs, V1Deployment d, CancellationToken cancellationToken)
    {
        if (d.Spec.RevisionHistoryLimit is not { } limit)
        {
            return;
        }
        var cleanable = oldRSs.Where(rs => rs.Metadata.DeletionTimestamp is null).ToList();
        var excess = cleanable.Count - limit;
        foreach (var rs in ReplicaSetCounts.ByRevision(cleanable).Take(Math.Max(0, excess)))
        {
            if ((rs.Status?.Replicas ?? 0) != 0 || RollingMath.Replicas(rs) != 0 || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
            {
                continue;
            }
            try
            {
                await client.AppsV1.DeleteNamespacedReplicaSetAsync(rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                LogReplicaSet(Logger, ObjectKeys.For(d), "deleted old", rs.Metadata.Name);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                // Already gone: that is what we wanted.
            }
        }
    }
}
