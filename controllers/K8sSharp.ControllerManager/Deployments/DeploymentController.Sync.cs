using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>
/// The reconcile of one Deployment (upstream syncDeployment): claim ReplicaSets, then either only status (being
/// deleted), only scaling (paused, or spec.replicas changed), or a rollout step of its strategy. Work happens on deep
/// copies of the deployment and its ReplicaSets; each write stores the server's answer back into the copy, so later
/// steps of the same reconcile see current resourceVersions (upstream shares pointers the same way).
/// </summary>
internal sealed partial class DeploymentController
{
    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (deployments.Get(ns, name) is not { } cached)
        {
            return;
        }
        var d = Copy(cached);
        if (d.Spec.Selector is not { } selector || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0))
        {
            await RefuseSelectingAllAsync(d, cancellationToken);
            return;
        }
        var rsList = await ClaimReplicaSetsAsync(d, cancellationToken);
        if (d.Metadata.DeletionTimestamp is not null)
        {
            var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, create: false, cancellationToken);
            await SyncStatusAsync(ReplicaSetCounts.With(oldRSs, newRS), newRS, d, cancellationToken);
            return;
        }
        await CheckPausedConditionsAsync(d, cancellationToken);
        if (d.Spec.Paused == true || await IsScalingEventAsync(d, rsList, cancellationToken))
        {
            await SyncAsync(d, rsList, cancellationToken);
            return;
        }
        if (d.Spec.Strategy?.Type == "Recreate")
        {
            await RolloutRecreateAsync(d, rsList, cancellationToken);
        }
        else
        {
            await RolloutRollingAsync(d, rsList, cancellationToken);
        }
    }

    private async Task RefuseSelectingAllAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        events.Event(d, EventTypes.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
        if ((d.Status?.ObservedGeneration ?? 0) < (d.Metadata.Generation ?? 0))
        {
            d.Status ??= new V1DeploymentStatus();
            d.Status.ObservedGeneration = d.Metadata.Generation;
            await UpdateStatusAsync(d, cancellationToken);
        }
    }

    /// <summary>
    /// Upstream's ReplicaSetControllerRefManager.ClaimReplicaSets: ReplicaSets this deployment controls and still
    /// selects are kept, those it no longer selects are released, matching orphans are adopted (not while the
    /// deployment is being deleted). Returns deep copies.
    /// </summary>
    private async Task<List<V1ReplicaSet>> ClaimReplicaSetsAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        var owned = new List<V1ReplicaSet>();
        foreach (var cached in replicaSets.List(d.Metadata.NamespaceProperty))
        {
            var matches = LabelSelectors.Matches(d.Spec.Selector, cached.Metadata.Labels);
            var owner = Pods.ControllerOf(cached.Metadata);
            if (owner is not null && owner.Uid != d.Metadata.Uid)
            {
                continue;
            }
            if (owner is not null && matches)
            {
                owned.Add(Copy(cached));
            }
            else if (owner is not null && cached.Metadata.DeletionTimestamp is null)
            {
                await PatchOwnersAsync(cached, [.. (cached.Metadata.OwnerReferences ?? []).Where(r => r.Uid != d.Metadata.Uid)], cancellationToken);
                LogReplicaSet(Logger, ObjectKeys.For(d), "released", cached.Metadata.Name);
            }
            else if (owner is null && matches && d.Metadata.DeletionTimestamp is null && cached.Metadata.DeletionTimestamp is null
                && await PatchOwnersAsync(cached, [.. cached.Metadata.OwnerReferences ?? [], OwnerReference(d)], cancellationToken) is { } adopted)
            {
                LogReplicaSet(Logger, ObjectKeys.For(d), "adopted", cached.Metadata.Name);
                owned.Add(adopted);
            }
        }
        return owned;
    }

    /// <summary>Replaces ownerReferences by merge patch, guarded by uid and resourceVersion; null when the RS is gone.</summary>
    private async Task<V1ReplicaSet?> PatchOwnersAsync(V1ReplicaSet rs, List<V1OwnerReference> owners, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(owners)),
                ["uid"] = rs.Metadata.Uid,
                ["resourceVersion"] = rs.Metadata.ResourceVersion,
            },
        };
        try
        {
            return await client.AppsV1.PatchNamespacedReplicaSetAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), rs.Metadata.Name, rs.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Progressing reports DeploymentPaused while paused and DeploymentResumed once resumed (upstream
    /// checkPausedConditions); a ProgressDeadlineExceeded verdict is never overwritten here.
    /// </summary>
    private async Task CheckPausedConditionsAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        if (!DeploymentConditions.HasProgressDeadline(d))
        {
            return;
        }
        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (current?.Reason == DeploymentConditions.ProgressDeadlineExceeded)
        {
            return;
        }
        var pausedReported = current?.Reason == DeploymentConditions.DeploymentPaused;
        var paused = d.Spec.Paused == true;
        if (paused == pausedReported)
        {
            return;
        }
        d.Status ??= new V1DeploymentStatus();
        DeploymentConditions.Set(d.Status, paused
            ? DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentPaused, "Deployment is paused", Time.GetUtcNow())
            : DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentResumed, "Deployment is resumed", Time.GetUtcNow()));
        await UpdateStatusAsync(d, cancellationToken);
    }

    /// <summary>spec.replicas differs from the desired-replicas annotation of an active ReplicaSet (upstream isScalingEvent).</summary>
    private async Task<bool> IsScalingEventAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, create: false, cancellationToken);
        return ReplicaSetCounts.Active(ReplicaSetCounts.With(oldRSs, newRS)).Any(rs =>
            DeploymentAnnotations.IntAnnotation(rs, DeploymentAnnotations.DesiredReplicas) is { } desired && desired != RollingMath.Replicas(d));
    }

    /// <summary>Scaling without a rollout (upstream sync): resize proportionally, clean up while paused, write status.</summary>
    private async Task SyncAsync(V1Deployment d, List<V1ReplicaSet> rsList, CancellationToken cancellationToken)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevisionAsync(d, rsList, create: false, cancellationToken);
        var (steps, refresh) = ProportionalScaling.Plan(d, newRS, oldRSs);
        foreach (var step in steps)
        {
            await ScaleAsync(step.ReplicaSet, step.Replicas, d, refreshAnnotations: refresh, cancellationToken);
        }
        if (d.Spec.Paused == true)
        {
            await CleanupAsync(oldRSs, d, cancellationToken);
        }
        await SyncStatusAsync(ReplicaSetCounts.With(oldRSs, newRS), newRS, d, cancellationToken);
    }
}
