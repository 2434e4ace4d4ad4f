using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary><see cref="IJobWrites"/> over the API server.</summary>
internal sealed class KubernetesJobWrites(IKubernetes client) : IJobWrites
{
    public Task<V1Pod> CreatePodAsync(V1Pod pod, CancellationToken cancellationToken) =>
        client.CoreV1.CreateNamespacedPodAsync(pod, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public async Task DeletePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Already gone: what we wanted.
        }
    }

    /// <summary>
    /// A JSON patch that tests the finalizer is still where the cached pod had it and removes it: unlike a merge
    /// patch of the whole list it cannot drop a finalizer someone else added meanwhile, and unlike a resourceVersion
    /// precondition it does not conflict with every status update.
    /// </summary>
    public async Task RemoveTrackingFinalizerAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var index = pod.Metadata.Finalizers?.IndexOf(JobKeys.TrackingFinalizer) ?? -1;
        if (index < 0)
        {
            return;
        }
        var path = $"/metadata/finalizers/{index}";
        var patch = new JsonArray
        {
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/uid", ["value"] = pod.Metadata.Uid },
            new JsonObject { ["op"] = "test", ["path"] = path, ["value"] = JobKeys.TrackingFinalizer },
            new JsonObject { ["op"] = "remove", ["path"] = path },
        };
        try
        {
            await client.CoreV1.PatchNamespacedPodAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Gone: nothing holds it any more.
        }
    }

    public async Task PatchPodOwnershipAsync(V1Pod pod, IList<V1OwnerReference> owners, IList<string>? finalizers, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject
        {
            ["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(owners)),
            ["uid"] = pod.Metadata.Uid,
        };
        if (finalizers is not null)
        {
            metadata["finalizers"] = JsonNode.Parse(KubernetesJson.Serialize(finalizers));
            // The whole list is replaced: guard it against concurrent finalizer changes.
            metadata["resourceVersion"] = pod.Metadata.ResourceVersion;
        }
        await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(new JsonObject { ["metadata"] = metadata }.ToJsonString(), V1Patch.PatchType.MergePatch),
            pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    /// <summary>Empty lists are left out, as upstream's omitempty does (<c>uncountedTerminatedPods: {}</c>).</summary>
    public Task<V1Job> UpdateStatusAsync(V1Job job, CancellationToken cancellationToken)
    {
        var status = job.Status;
        if (status.Conditions is { Count: 0 })
        {
            status.Conditions = null;
        }
        if (status.UncountedTerminatedPods is { } uncounted)
        {
            uncounted.Succeeded = uncounted.Succeeded is { Count: 0 } ? null : uncounted.Succeeded;
            uncounted.Failed = uncounted.Failed is { Count: 0 } ? null : uncounted.Failed;
        }
        return client.BatchV1.ReplaceNamespacedJobStatusAsync(job, job.Metadata.Name, job.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }
}
