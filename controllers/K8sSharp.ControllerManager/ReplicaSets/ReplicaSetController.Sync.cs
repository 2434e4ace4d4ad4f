using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.ReplicaSets;

/// <summary>The reconcile of one ReplicaSet: claim pods, create or delete toward spec.replicas, write status.</summary>
internal sealed partial class ReplicaSetController
{
    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var rs = replicaSets.Get(ns, name);
        if (rs is null)
        {
            expectations.Delete(key);
            return;
        }
        // Read before listing pods: a pod observed after this point is at worst counted once more next time.
        var needsSync = expectations.Satisfied(key);
        var active = pods.List(ns).Where(Pods.IsActive).ToList();
        var owned = await ClaimAsync(rs, active, cancellationToken);
        Exception? manageError = null;
        if (needsSync && rs.Metadata.DeletionTimestamp is null)
        {
            try
            {
                await ManageReplicasAsync(rs, key, owned, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                manageError = e; // status is still worth writing; the error requeues the key afterwards
            }
        }
        var status = await UpdateStatusAsync(rs, owned, cancellationToken);
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        if (manageError is null && minReady > 0 && status.ReadyReplicas != status.AvailableReplicas)
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }
        if (manageError is not null)
        {
            throw manageError;
        }
    }

    /// <summary>
    /// Upstream's PodControllerRefManager.ClaimPods: pods controlled by this ReplicaSet that still match are kept,
    /// those that no longer match are released, matching orphans are adopted (not while either side is being deleted).
    /// </summary>
    private async Task<List<V1Pod>> ClaimAsync(V1ReplicaSet rs, List<V1Pod> candidates, CancellationToken cancellationToken)
    {
        var owned = new List<V1Pod>();
        foreach (var pod in candidates)
        {
            var matches = LabelSelectors.Matches(rs.Spec.Selector, pod.Metadata.Labels);
            var owner = Pods.ControllerOf(pod.Metadata);
            if (owner is not null)
            {
                if (owner.Uid != rs.Metadata.Uid)
                {
                    continue;
                }
                if (matches)
                {
                    owned.Add(pod);
                }
                else if (pod.Metadata.DeletionTimestamp is null)
                {
                    await PatchOwnersAsync(pod, [.. (pod.Metadata.OwnerReferences ?? []).Where(r => r.Uid != rs.Metadata.Uid)], cancellationToken);
                    LogReleased(Logger, ObjectKeys.For(rs), pod.Metadata.Name);
                }
                continue;
            }
            if (matches && rs.Metadata.DeletionTimestamp is null && pod.Metadata.DeletionTimestamp is null
                && await PatchOwnersAsync(pod, [.. pod.Metadata.OwnerReferences ?? [], OwnerReference(rs, replicaSets)], cancellationToken))
            {
                LogAdopted(Logger, ObjectKeys.For(rs), pod.Metadata.Name);
                owned.Add(pod);
            }
        }
        return owned;
    }

    /// <summary>
    /// Replaces the pod's ownerReferences with a JSON merge patch. The uid guards against a pod recreated under the
    /// same name and the resourceVersion against concurrent owner changes (a 409 retries the reconcile).
    /// Returns false when the pod is already gone.
    /// </summary>
    private async Task<bool> PatchOwnersAsync(V1Pod pod, List<V1OwnerReference> owners, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(owners)),
                ["uid"] = pod.Metadata.Uid,
                ["resourceVersion"] = pod.Metadata.ResourceVersion,
            },
        };
        try
        {
            await client.CoreV1.PatchNamespacedPodAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return false;
        }
    }

    internal static V1OwnerReference OwnerReference(V1ReplicaSet rs, IReplicaSetSource kind) => new()
    {
        ApiVersion = kind.ApiVersion,
        Kind = kind.Kind,
        Name = rs.Metadata.Name,
        Uid = rs.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    private async Task<V1ReplicaSetStatus> UpdateStatusAsync(V1ReplicaSet rs, List<V1Pod> owned, CancellationToken cancellationToken)
    {
        var status = ReplicaSetStatuses.Compute(rs, owned, Time.GetUtcNow());
        if (ReplicaSetStatuses.Same(rs.Status, status))
        {
            return status;
        }
        var patch = new JsonObject { ["status"] = ReplicaSetStatuses.ToPatch(status) };
        await replicaSets.PatchStatusAsync(
            rs.Metadata.NamespaceProperty, rs.Metadata.Name, new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), cancellationToken);
        return status;
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "{ReplicaSet}: adopted pod {Pod}")]
    private static partial void LogAdopted(ILogger logger, string replicaSet, string pod);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "{ReplicaSet}: released pod {Pod}, which no longer matches the selector")]
    private static partial void LogReleased(ILogger logger, string replicaSet, string pod);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Information, Message = "{ReplicaSet}: {Verb} {Count} pods (want {Want}, have {Have})")]
    private static partial void LogScaling(ILogger logger, string replicaSet, string verb, int count, int want, int have);
}
