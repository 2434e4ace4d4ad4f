using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.StatefulSets;

/// <summary>
/// The pods' PersistentVolumeClaims (upstream stateful_pod_control.go createPersistentVolumeClaims and
/// updateClaimOwnerRefForSetAndPod): created before their pod, never deleted here. The retention policy is expressed as
/// ownerReferences for the garbage collector: WhenDeleted=Delete makes the set an owner, WhenScaled=Delete makes the pod
/// the owner once its ordinal is scaled away (set before the pod is deleted).
/// </summary>
internal sealed partial class StatefulSetController
{
    private async Task CreateMissingClaimsAsync(V1StatefulSet set, int ordinal, string podName, CancellationToken cancellationToken)
    {
        foreach (var claim in StatefulPods.Claims(set, ordinal))
        {
            if (volumeClaims.Get(claim.Metadata.NamespaceProperty, claim.Metadata.Name) is not null)
            {
                continue;
            }
            if (DeletesWithSet(set))
            {
                claim.Metadata.OwnerReferences = [SetOwner(set)];
            }
            try
            {
                await client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                events.Event(set, EventTypes.Normal, "SuccessfulCreate",
                    $"create Claim {claim.Metadata.Name} Pod {podName} in StatefulSet {set.Metadata.Name} success");
            }
            catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
            {
                // created earlier; our cache is behind
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                events.Event(set, EventTypes.Warning, "FailedCreate",
                    $"create Claim {claim.Metadata.Name} for Pod {podName} in StatefulSet {set.Metadata.Name} failed error: {e.Message}");
                throw;
            }
        }
    }

    /// <summary>Brings every existing claim of an owned pod to the owners the retention policy asks for.</summary>
    private async Task UpdateClaimOwnersAsync(V1StatefulSet set, List<V1Pod> owned, CancellationToken cancellationToken)
    {
        var start = StatefulPods.StartOrdinal(set);
        var replicas = set.Spec.Replicas ?? 1;
        foreach (var pod in owned.Where(p => !StatefulPods.IsTerminating(p)))
        {
            var ordinal = StatefulPods.Ordinal(set, pod);
            if (ordinal < 0)
            {
                continue;
            }
            var scaledDown = ordinal < start || ordinal >= start + replicas;
            foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
            {
                var claim = volumeClaims.Get(set.Metadata.NamespaceProperty, StatefulPods.ClaimName(template, set, ordinal));
                if (claim is not null && WantedOwners(set, pod, claim, scaledDown) is { } owners)
                {
                    await PatchOwnersAsync(claim, owners, cancellationToken);
                }
            }
        }
    }

    /// <summary>The claim's ownerReferences as the policy wants them, or null when they already are.</summary>
    internal static List<V1OwnerReference>? WantedOwners(V1StatefulSet set, V1Pod pod, V1PersistentVolumeClaim claim, bool scaledDown)
    {
        var policy = set.Spec.PersistentVolumeClaimRetentionPolicy;
        var scaleDeletes = policy?.WhenScaled == "Delete";
        var wantSet = DeletesWithSet(set) && !(scaleDeletes && scaledDown);
        var wantPod = scaleDeletes && scaledDown;
        var existing = claim.Metadata.OwnerReferences ?? [];
        var hasSet = existing.Any(r => r.Uid == set.Metadata.Uid);
        var hasPod = existing.Any(r => r.Uid == pod.Metadata.Uid);
        if (hasSet == wantSet && hasPod == wantPod)
        {
            return null;
        }
        var owners = existing.Where(r => r.Uid != set.Metadata.Uid && r.Uid != pod.Metadata.Uid).ToList();
        if (wantSet)
        {
            owners.Add(SetOwner(set));
        }
        if (wantPod)
        {
            owners.Add(new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid });
        }
        return owners;
    }

    private static bool DeletesWithSet(V1StatefulSet set) => set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenDeleted == "Delete";

    private static V1OwnerReference SetOwner(V1StatefulSet set) =>
        new() { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = set.Metadata.Name, Uid = set.Metadata.Uid };

    private async Task PatchOwnersAsync(V1PersistentVolumeClaim claim, List<V1OwnerReference> owners, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(owners)),
                ["resourceVersion"] = claim.Metadata.ResourceVersion,
            },
        };
        try
        {
            await client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), claim.Metadata.Name, claim.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // deleted meanwhile
        }
    }
}
