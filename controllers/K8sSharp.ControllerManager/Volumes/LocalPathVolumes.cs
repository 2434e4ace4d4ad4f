using k8s.Models;

namespace K8sSharp.ControllerManager.Volumes;

/// <summary>
/// The shape of what the local-path provisioner creates (after rancher's local-path-provisioner, which kind and k3s
/// ship): the default StorageClass <c>standard</c>, and per claim a PersistentVolume <c>pvc-&lt;claim uid&gt;</c> whose
/// hostPath (type DirectoryOrCreate) is <c>&lt;base&gt;/&lt;pv&gt;_&lt;namespace&gt;_&lt;claim&gt;</c> on the selected node, pinned
/// there by node affinity, pre-bound to the claim. The kubelet of that node creates the directory on first mount and
/// removes it (then deletes the volume) once the volume is Released with reclaim policy Delete.
/// </summary>
internal static class LocalPathVolumes
{
    public const string DefaultClassName = "standard";
    public const string HostnameLabel = "kubernetes.io/hostname";

    public static V1StorageClass DefaultClass() => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = new V1ObjectMeta
        {
            Name = DefaultClassName,
            Annotations = new Dictionary<string, string> { [VolumeNames.IsDefaultClass] = "true" },
        },
        Provisioner = VolumeNames.LocalPathProvisioner,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = VolumeNames.WaitForFirstConsumer,
    };

    public static string VolumeName(V1PersistentVolumeClaim claim) => "pvc-" + claim.Metadata.Uid;

    public static V1PersistentVolume For(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string nodeName, string? hostname, string baseDir)
    {
        var name = VolumeName(claim);
        var ns = claim.Metadata.NamespaceProperty;
        return new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string> { [VolumeNames.ProvisionedBy] = VolumeNames.LocalPathProvisioner },
            },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = claim.Spec.Resources?.Requests?["storage"] ?? new ResourceQuantity("0") },
                AccessModes = claim.Spec.AccessModes,
                VolumeMode = claim.Spec.VolumeMode,
                StorageClassName = storageClass.Metadata.Name,
                PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete",
                ClaimRef = new V1ObjectReference
                {
                    Kind = "PersistentVolumeClaim", ApiVersion = "v1", NamespaceProperty = ns, Name = claim.Metadata.Name,
                    Uid = claim.Metadata.Uid, ResourceVersion = claim.Metadata.ResourceVersion,
                },
                HostPath = new V1HostPathVolumeSource { Path = $"{baseDir.TrimEnd('/')}/{name}_{ns}_{claim.Metadata.Name}", Type = "DirectoryOrCreate" },
                NodeAffinity = new V1VolumeNodeAffinity { Required = new V1NodeSelector { NodeSelectorTerms = [NodeTerm(nodeName, hostname)] } },
            },
        };
    }

    /// <summary>The node's hostname label when it has one (what the kubelet sets), else its name as a field.</summary>
    private static V1NodeSelectorTerm NodeTerm(string nodeName, string? hostname) => hostname is not null
        ? new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = HostnameLabel, OperatorProperty = "In", Values = [hostname] }] }
        : new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [nodeName] }] };
}
