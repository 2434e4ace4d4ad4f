using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.Volumes;

/// <summary>
/// The binder's writes: each works on a deep copy of the cached object and sends it with its resourceVersion, so a
/// concurrent change fails with 409 and the reconcile retries from fresh caches. Spec/metadata through the object,
/// phases through the status subresource (which is where upstream's strategies accept them).
/// </summary>
internal sealed class VolumeWrites(IKubernetes client)
{
    private const string Yes = "yes";

    /// <summary>Upstream bind(): the volume side first (claimRef, phase Bound), then the claim (volumeName, annotations, status).</summary>
    public async Task BindAsync(V1PersistentVolumeClaim claim, V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var current = volume;
        if (current.Spec.ClaimRef?.Uid != claim.Metadata.Uid || current.Spec.ClaimRef?.Name != claim.Metadata.Name)
        {
            var copy = Copy(current);
            if (copy.Spec.ClaimRef is null)
            {
                Annotate(copy.Metadata, VolumeNames.BoundByController);
            }
            copy.Spec.ClaimRef = new V1ObjectReference
            {
                Kind = "PersistentVolumeClaim", ApiVersion = "v1", NamespaceProperty = claim.Metadata.NamespaceProperty,
                Name = claim.Metadata.Name, Uid = claim.Metadata.Uid, ResourceVersion = claim.Metadata.ResourceVersion,
            };
            current = await client.CoreV1.ReplacePersistentVolumeAsync(copy, copy.Metadata.Name, cancellationToken: cancellationToken);
        }
        if (current.Status?.Phase != VolumeNames.Bound)
        {
            await SetVolumePhaseAsync(current, VolumeNames.Bound, null, cancellationToken);
        }
        var claimNow = claim;
        if (claim.Spec.VolumeName != volume.Metadata.Name || !BindingDecisions.HasAnnotation(claim.Metadata, VolumeNames.BindCompleted))
        {
            var copy = Copy(claim);
            if (string.IsNullOrEmpty(copy.Spec.VolumeName))
            {
                Annotate(copy.Metadata, VolumeNames.BoundByController);
            }
            copy.Spec.VolumeName = volume.Metadata.Name;
            Annotate(copy.Metadata, VolumeNames.BindCompleted);
            claimNow = await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        if (claimNow.Status?.Phase != VolumeNames.Bound || claimNow.Status.Capacity is null)
        {
            var copy = Copy(claimNow);
            copy.Status ??= new V1PersistentVolumeClaimStatus();
            copy.Status.Phase = VolumeNames.Bound;
            copy.Status.AccessModes = volume.Spec.AccessModes;
            copy.Status.Capacity = volume.Spec.Capacity;
            await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
    }

    public Task SetClaimPhaseAsync(V1PersistentVolumeClaim claim, string phase, CancellationToken cancellationToken)
    {
        var copy = Copy(claim);
        copy.Status ??= new V1PersistentVolumeClaimStatus();
        copy.Status.Phase = phase;
        return client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task SetVolumePhaseAsync(V1PersistentVolume volume, string phase, string? message, CancellationToken cancellationToken)
    {
        var copy = Copy(volume);
        copy.Status ??= new V1PersistentVolumeStatus();
        copy.Status.Phase = phase;
        copy.Status.Message = message;
        return client.CoreV1.ReplacePersistentVolumeStatusAsync(copy, copy.Metadata.Name, cancellationToken: cancellationToken);
    }

    /// <summary>Hands the claim to a provisioner (the current and the beta annotation, as upstream still writes both).</summary>
    public Task AnnotateProvisionerAsync(V1PersistentVolumeClaim claim, string provisioner, CancellationToken cancellationToken)
    {
        var copy = Copy(claim);
        copy.Metadata.Annotations ??= new Dictionary<string, string>();
        copy.Metadata.Annotations[VolumeNames.StorageProvisioner] = provisioner;
        copy.Metadata.Annotations[VolumeNames.BetaStorageProvisioner] = provisioner;
        return client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(copy, copy.Metadata.Name, copy.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    /// <summary>Undoes the controller's binding of a volume whose claim went elsewhere; the status sync makes it Available.</summary>
    public Task UnbindVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var copy = Copy(volume);
        copy.Spec.ClaimRef = null;
        copy.Metadata.Annotations?.Remove(VolumeNames.BoundByController);
        return client.CoreV1.ReplacePersistentVolumeAsync(copy, copy.Metadata.Name, cancellationToken: cancellationToken);
    }

    private static void Annotate(V1ObjectMeta meta, string key)
    {
        meta.Annotations ??= new Dictionary<string, string>();
        meta.Annotations[key] = Yes;
    }

    /// <summary>Cached objects are shared with other readers: never change them in place.</summary>
    public static T Copy<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}
