using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// Upstream's PodControllerRefManager.ClaimPods, shared by the controllers that own pods: pods controlled by the owner
/// that still match its selector are kept, those that no longer match are released, matching orphans are adopted
/// (not while either side is being deleted). Ownership changes are JSON merge patches guarded by uid and
/// resourceVersion, so a concurrent change fails with 409 and the reconcile retries.
/// </summary>
internal sealed partial class PodClaims(IKubernetes client, ILogger logger)
{
    /// <summary>The pods among <paramref name="candidates"/> that <paramref name="owner"/> controls after claiming.</summary>
    public async Task<List<V1Pod>> ClaimAsync(
        V1ObjectMeta owner, V1OwnerReference ownerRef, V1LabelSelector? selector, IEnumerable<V1Pod> candidates, CancellationToken cancellationToken)
    {
        var owned = new List<V1Pod>();
        foreach (var pod in candidates)
        {
            var matches = LabelSelectors.Matches(selector, pod.Metadata.Labels);
            var controller = Pods.ControllerOf(pod.Metadata);
            if (controller is not null)
            {
                if (controller.Uid != owner.Uid)
                {
                    continue;
                }
                if (matches)
                {
                    owned.Add(pod);
                }
                else if (pod.Metadata.DeletionTimestamp is null)
                {
                    await PatchOwnersAsync(pod, [.. (pod.Metadata.OwnerReferences ?? []).Where(r => r.Uid != owner.Uid)], cancellationToken);
                    LogReleased(logger, ownerRef.Kind, ObjectKeys.For(owner.NamespaceProperty, owner.Name), pod.Metadata.Name);
                }
                continue;
            }
            if (matches && owner.DeletionTimestamp is null && pod.Metadata.DeletionTimestamp is null
                && await PatchOwnersAsync(pod, [.. pod.Metadata.OwnerReferences ?? [], ownerRef], cancellationToken))
            {
                LogAdopted(logger, ownerRef.Kind, ObjectKeys.For(owner.NamespaceProperty, owner.Name), pod.Metadata.Name);
                owned.Add(pod);
            }
        }
        return owned;
    }

    /// <summary>Replaces the pod's ownerReferences; false when the pod is already gone.</summary>
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

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "{Kind} {Owner}: adopted pod {Pod}")]
    private static partial void LogAdopted(ILogger logger, string kind, string owner, string pod);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "{Kind} {Owner}: released pod {Pod}, which no longer matches the selector")]
    private static partial void LogReleased(ILogger logger, string kind, string owner, string pod);
}
