namespace K8sSharp.ControllerManager.Volumes;

/// <summary>The annotations, finalizers, phases and event reasons of upstream's volume controllers, in one place.</summary>
internal static class VolumeNames
{
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";
    public const string SelectedNode = "volume.kubernetes.io/selected-node";
    public const string IsDefaultClass = "storageclass.kubernetes.io/is-default-class";

    public const string ClaimProtectionFinalizer = "kubernetes.io/pvc-protection";
    public const string VolumeProtectionFinalizer = "kubernetes.io/pv-protection";

    public const string Pending = "Pending";
    public const string Bound = "Bound";
    public const string Lost = "Lost";
    public const string Available = "Available";
    public const string Released = "Released";
    public const string Failed = "Failed";

    public const string WaitForFirstConsumer = "WaitForFirstConsumer";

    /// <summary>The provisioner name of the built-in local-path provisioner (a domain we own, as external provisioner names are).</summary>
    public const string LocalPathProvisioner = "k8ssharp.io/local-path";
}
