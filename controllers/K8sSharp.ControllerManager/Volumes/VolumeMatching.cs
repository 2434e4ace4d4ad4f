using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.ControllerManager.Volumes;

/// <summary>
/// Which PersistentVolume an unbound claim may bind to (upstream pkg/controller/volume/persistentvolume/util
/// FindMatchingVolume): a volume pre-bound to the claim (claimRef naming it) wins; otherwise among free volumes
/// (no claimRef, not being deleted, phase Available) of the claim's class and volume mode, whose labels match the
/// claim's selector (none: every volume; unlike workload selectors, where none selects nothing), whose access modes include the claim's and whose capacity is at least the request, the
/// smallest. For a WaitForFirstConsumer class only once a node is selected, and then only volumes whose node
/// affinity admits that node.
/// </summary>
internal static class VolumeMatching
{
    public static V1PersistentVolume? FindBest(V1PersistentVolumeClaim claim, IEnumerable<V1PersistentVolume> volumes, bool delayBinding, V1Node? selectedNode)
    {
        V1PersistentVolume? best = null;
        var requested = Request(claim);
        foreach (var volume in volumes)
        {
            if (volume.Metadata.DeletionTimestamp is not null || !SameClassAndMode(claim, volume) || Capacity(volume) < requested)
            {
                continue;
            }
            if (volume.Spec.ClaimRef is { } claimRef)
            {
                if (IsPreboundTo(claimRef, claim))
                {
                    return volume;
                }
                continue;
            }
            if (delayBinding && (selectedNode is null || !AdmitsNode(volume, selectedNode)))
            {
                continue;
            }
            if ((volume.Status?.Phase ?? VolumeNames.Available) != VolumeNames.Available
                || (claim.Spec.Selector is { } selector && !LabelSelectors.Matches(selector, volume.Metadata.Labels))
                || !(claim.Spec.AccessModes ?? []).All(m => volume.Spec.AccessModes?.Contains(m) == true))
            {
                continue;
            }
            if (best is null || Capacity(volume) < Capacity(best))
            {
                best = volume;
            }
        }
        return best;
    }

    /// <summary>The claimRef names this claim (by uid when it has one, else by namespace and name).</summary>
    public static bool IsPreboundTo(V1ObjectReference claimRef, V1PersistentVolumeClaim claim) =>
        claimRef.Name == claim.Metadata.Name && claimRef.NamespaceProperty == claim.Metadata.NamespaceProperty
        && (string.IsNullOrEmpty(claimRef.Uid) || claimRef.Uid == claim.Metadata.Uid);

    public static decimal Request(V1PersistentVolumeClaim claim) =>
        claim.Spec.Resources?.Requests?.TryGetValue("storage", out var q) == true ? q.ToDecimal() : 0;

    public static decimal Capacity(V1PersistentVolume volume) =>
        volume.Spec.Capacity?.TryGetValue("storage", out var q) == true ? q.ToDecimal() : 0;

    /// <summary>A volume without node affinity is reachable from every node.</summary>
    public static bool AdmitsNode(V1PersistentVolume volume, V1Node node) =>
        volume.Spec.NodeAffinity?.Required?.NodeSelectorTerms is not { Count: > 0 } terms
        || NodeSelectorTerms.MatchesAny(terms, node);

    private static bool SameClassAndMode(V1PersistentVolumeClaim claim, V1PersistentVolume volume) =>
        (claim.Spec.StorageClassName ?? "") == (volume.Spec.StorageClassName ?? "")
        && (claim.Spec.VolumeMode ?? "Filesystem") == (volume.Spec.VolumeMode ?? "Filesystem");
}
