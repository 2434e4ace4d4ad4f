using k8s.Models;

namespace K8sSharp.ControllerManager.Volumes;

/// <summary>What a claim sync does next (upstream syncUnboundClaim/syncBoundClaim, as data so it can be tested).</summary>
internal abstract record ClaimStep
{
    /// <summary>Bind the claim and the volume to each other (idempotent: finishes a half-done binding).</summary>
    public sealed record Bind(V1PersistentVolume Volume) : ClaimStep;

    /// <summary>Stay Pending; an event explains why, and a provisioner may be asked for a volume.</summary>
    public sealed record Wait(string Reason, string Message, string? Provisioner = null, string Type = "Normal") : ClaimStep;

    /// <summary>The claim was bound and its volume is gone or taken: phase Lost with a Warning event.</summary>
    public sealed record Lose(string Reason, string Message) : ClaimStep;
}

/// <summary>What a volume sync does next (upstream syncVolume).</summary>
internal enum VolumeStep
{
    None,
    MakeAvailable,
    MakeBound,
    Unbind,
    Release,
    Fail,
}

/// <summary>The PV binder's decisions, pure functions of the claim, the volumes and the class.</summary>
internal static class BindingDecisions
{
    public static ClaimStep DecideClaim(V1PersistentVolumeClaim claim, IReadOnlyCollection<V1PersistentVolume> volumes, V1StorageClass? storageClass, V1Node? selectedNode)
    {
        var volumeName = claim.Spec.VolumeName ?? "";
        var volume = volumeName.Length == 0 ? null : volumes.FirstOrDefault(v => v.Metadata.Name == volumeName);
        if (HasAnnotation(claim.Metadata, VolumeNames.BindCompleted))
        {
            return volumeName.Length == 0 ? new ClaimStep.Lose("ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!")
                : volume is null ? new ClaimStep.Lose("ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
                : volume.Spec.ClaimRef is null || volume.Spec.ClaimRef.Uid == claim.Metadata.Uid ? new ClaimStep.Bind(volume)
                : new ClaimStep.Lose("ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
        }
        if (volumeName.Length > 0)
        {
            return volume is null ? new ClaimStep.Wait("FailedBinding", $"volume \"{volumeName}\" not found", Type: "Warning")
                : volume.Spec.ClaimRef is null || VolumeMatching.IsPreboundTo(volume.Spec.ClaimRef, claim) ? new ClaimStep.Bind(volume)
                : new ClaimStep.Wait("FailedBinding", $"volume \"{volumeName}\" already bound to a different claim.", Type: "Warning");
        }
        var delayBinding = storageClass?.VolumeBindingMode == VolumeNames.WaitForFirstConsumer;
        if (VolumeMatching.FindBest(claim, volumes, delayBinding, selectedNode) is { } best)
        {
            return new ClaimStep.Bind(best);
        }
        if (delayBinding && !HasAnnotation(claim.Metadata, VolumeNames.SelectedNode))
        {
            return new ClaimStep.Wait("WaitForFirstConsumer", "waiting for first consumer to be created before binding");
        }
        if (storageClass?.Provisioner is { Length: > 0 } provisioner)
        {
            return new ClaimStep.Wait("ExternalProvisioning",
                $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. "
                + "If volume creation is delayed, please verify that the provisioner is running and correctly registered.", provisioner);
        }
        return new ClaimStep.Wait("FailedBinding", string.IsNullOrEmpty(claim.Spec.StorageClassName)
            ? "no persistent volumes available for this claim and no storage class is set"
            : $"storageclass.storage.k8s.io \"{claim.Spec.StorageClassName}\" not found");
    }

    /// <summary><paramref name="claim"/> is the claim the volume's claimRef names, if it exists (any uid).</summary>
    public static VolumeStep DecideVolume(V1PersistentVolume volume, V1PersistentVolumeClaim? claim)
    {
        var phase = volume.Status?.Phase;
        if (volume.Spec.ClaimRef is not { } claimRef)
        {
            return phase == VolumeNames.Available ? VolumeStep.None : VolumeStep.MakeAvailable;
        }
        if (string.IsNullOrEmpty(claimRef.Uid))
        {
            // Pre-bound by the user to a claim by name: available for that claim only.
            return phase == VolumeNames.Available ? VolumeStep.None : VolumeStep.MakeAvailable;
        }
        if (claim is null || claim.Metadata.Uid != claimRef.Uid)
        {
            return phase is VolumeNames.Released or VolumeNames.Failed ? VolumeStep.None : VolumeStep.Release;
        }
        if (string.IsNullOrEmpty(claim.Spec.VolumeName))
        {
            return VolumeStep.None; // the claim's sync finishes the binding
        }
        if (claim.Spec.VolumeName == volume.Metadata.Name)
        {
            return phase == VolumeNames.Bound ? VolumeStep.None : VolumeStep.MakeBound;
        }
        // The claim went to another volume: undo our half of a binding we made; leave a user's pre-binding alone.
        return HasAnnotation(volume.Metadata, VolumeNames.BoundByController) ? VolumeStep.Unbind : VolumeStep.None;
    }

    public static bool HasAnnotation(V1ObjectMeta meta, string key) => meta.Annotations?.ContainsKey(key) == true;
}
