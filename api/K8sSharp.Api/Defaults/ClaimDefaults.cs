using System.Text.Json.Nodes;

namespace K8sSharp.Api.Defaults;

/// <summary>Storage defaults of upstream's <c>pkg/apis/core/v1/defaults.go</c>: claims and volumes.</summary>
public static class ClaimDefaults
{
    /// <summary>A claim (or a StatefulSet's claim template) mounts a filesystem unless it asks for a block device.</summary>
    public static void PersistentVolumeClaim(JsonObject claim)
    {
        claim.Child("spec").Default("volumeMode", "Filesystem");
    }

    /// <summary>PersistentVolumes: reclaim policy Retain, volume mode Filesystem, phase Pending on create.</summary>
    public static void PersistentVolume(JsonObject volume)
    {
        var spec = volume.Child("spec");
        spec.Default("persistentVolumeReclaimPolicy", "Retain");
        spec.Default("volumeMode", "Filesystem");
    }
}
