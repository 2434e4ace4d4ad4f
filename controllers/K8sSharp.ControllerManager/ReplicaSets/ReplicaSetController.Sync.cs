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
        var owned = await claims.ClaimAsync(rs.Metadata, OwnerReference(rs, replicaSets), rs.Spec.Selector, active, cancellationToken);
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



    [LoggerMessage(EventId = 5303, Level = LogLevel.Information, Message = "{ReplicaSet}: {Verb} {Count} pods (want {Want}, have {Have})")]
    private static partial void LogScaling(ILogger logger, string replicaSet, string verb, int count, int want, int have);
}
