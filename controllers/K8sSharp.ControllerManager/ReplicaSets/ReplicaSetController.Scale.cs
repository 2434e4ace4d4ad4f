using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.ReplicaSets;

/// <summary>Creating and deleting pods toward spec.replicas (upstream manageReplicas).</summary>
internal sealed partial class ReplicaSetController
{
    private async Task ManageReplicasAsync(V1ReplicaSet rs, string key, List<V1Pod> owned, CancellationToken cancellationToken)
    {
        var want = rs.Spec.Replicas ?? 1;
        var diff = owned.Count - want;
        if (diff < 0)
        {
            var count = Math.Min(-diff, BurstReplicas);
            LogScaling(Logger, key, "creating", count, want, owned.Count);
            // Expect first: the informer may report a created pod before CreateAsync returns.
            expectations.ExpectCreations(key, count);
            await CreateInSlowStartBatchesAsync(rs, key, count, cancellationToken);
        }
        else if (diff > 0)
        {
            var victims = Pods.InDeletionOrder(owned).Take(Math.Min(diff, BurstReplicas)).ToList();
            LogScaling(Logger, key, "deleting", victims.Count, want, owned.Count);
            expectations.ExpectDeletions(key, victims.Select(Pods.Key));
            await DeleteAllAsync(key, victims, cancellationToken);
        }
    }

    /// <summary>
    /// Batches of 1, 2, 4, ... creates, stopping at the first batch with a failure (upstream slowStartBatch), so a
    /// quota or admission error costs one request rather than hundreds. Creates never attempted, and failed ones, are
    /// marked observed so the expectation can still be met. Throws the first failure.
    /// </summary>
    private async Task CreateInSlowStartBatchesAsync(V1ReplicaSet rs, string key, int count, CancellationToken cancellationToken)
    {
        var remaining = count;
        for (var batch = 1; remaining > 0; batch *= 2)
        {
            var size = Math.Min(batch, remaining);
            remaining -= size;
            var errors = await Task.WhenAll(Enumerable.Range(0, size).Select(_ => TryCreateAsync(rs, key, cancellationToken)));
            if (errors.FirstOrDefault(e => e is not null) is { } error)
            {
                for (var i = 0; i < remaining; i++)
                {
                    expectations.CreationObserved(key);
                }
                throw error;
            }
        }
    }

    private async Task<Exception?> TryCreateAsync(V1ReplicaSet rs, string key, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(NewPod(rs, replicaSets), rs.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            expectations.CreationObserved(key);
            // A namespace being deleted refuses creates; that is not a failure worth retrying.
            return ApiErrors.IsNamespaceTerminating(e) ? null : e;
        }
    }

    private async Task DeleteAllAsync(string key, List<V1Pod> victims, CancellationToken cancellationToken)
    {
        var errors = await Task.WhenAll(victims.Select(async pod =>
        {
            try
            {
                await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not deleted by us (or already gone): no event of ours is coming for it.
                expectations.DeletionObserved(key, Pods.Key(pod));
                return ApiErrors.IsNotFound(e) ? null : e;
            }
        }));
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw error;
        }
    }

    /// <summary>A pod from the template (upstream GetPodFromTemplate): labels, annotations and finalizers copied, controlled by the ReplicaSet.</summary>
    internal static V1Pod NewPod(V1ReplicaSet rs, IReplicaSetSource kind)
    {
        // A deep copy: the template belongs to the shared cache.
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(rs.Spec.Template));
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = rs.Metadata.Name + "-",
                NamespaceProperty = rs.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                Finalizers = template.Metadata?.Finalizers,
                OwnerReferences = [OwnerReference(rs, kind)],
            },
            Spec = template.Spec,
        };
    }
}
