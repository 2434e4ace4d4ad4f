using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Volumes;

/// <summary>
/// The provisioning half of the local-path provisioner, run like an external provisioner (it acts only on claims the
/// binder annotated with <c>volume.kubernetes.io/storage-provisioner: k8ssharp.io/local-path</c>): for an unbound claim
/// with a selected node it creates the <see cref="LocalPathVolumes"/> volume, which the binder then binds. Before its
/// workers start it creates the default StorageClass <c>standard</c> if no class of that name exists (the addon
/// manager's EnsureExists: an edited or deleted-and-recreated class is never overwritten).
/// </summary>
internal sealed partial class LocalPathProvisioner : QueuedController
{
    private readonly IKubernetes client;
    private readonly IEventRecorder recorder;
    private readonly string baseDir;
    private Lister<V1PersistentVolumeClaim> claims = null!;
    private Lister<V1PersistentVolume> volumes = null!;
    private Lister<V1StorageClass> classes = null!;
    private Lister<V1Node> nodes = null!;

    public LocalPathProvisioner(IKubernetes client, IEventRecorder recorder, string baseDir, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.recorder = recorder;
        this.baseDir = baseDir;
    }

    public override string Name => "local-path-provisioner";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var claimInformer = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolumeClaim>(client));
        claims = claimInformer.Lister;
        volumes = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolume>(client)).Lister;
        classes = informers.GetOrAdd(() => ListWatchers.For<V1StorageClass>(client)).Lister;
        nodes = informers.GetOrAdd(() => ListWatchers.For<V1Node>(client)).Lister;
        claimInformer.AddEventHandler(new ResourceEventHandler<V1PersistentVolumeClaim>
        {
            OnAdd = c => Queue.Add(ObjectKeys.For(c)),
            OnUpdate = (_, c) => Queue.Add(ObjectKeys.For(c)),
        });
    }

    public override async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureDefaultClassAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDefaultClassFailed(Logger, e); // provisioning still works for classes that exist
        }
        await base.RunAsync(workers, cancellationToken);
    }

    private async Task EnsureDefaultClassAsync(CancellationToken cancellationToken)
    {
        if (classes.Get(null, LocalPathVolumes.DefaultClassName) is not null)
        {
            return;
        }
        try
        {
            await client.StorageV1.CreateStorageClassAsync(LocalPathVolumes.DefaultClass(), cancellationToken: cancellationToken);
            LogDefaultClass(Logger, LocalPathVolumes.DefaultClassName);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            // Created meanwhile (by a previous leader or an administrator): theirs stands.
        }
    }

    /// <summary>The claim is ours to provision now: unbound, alive, handed to us, with a node to put the directory on.</summary>
    internal static bool WantsVolume(V1PersistentVolumeClaim claim) =>
        string.IsNullOrEmpty(claim.Spec.VolumeName) && claim.Metadata.DeletionTimestamp is null
        && claim.Metadata.Annotations?.TryGetValue(VolumeNames.StorageProvisioner, out var p) == true && p == VolumeNames.LocalPathProvisioner;

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (claims.Get(ns, name) is not { } claim || !WantsVolume(claim) || volumes.Get(null, LocalPathVolumes.VolumeName(claim)) is not null)
        {
            return;
        }
        if (string.IsNullOrEmpty(claim.Spec.StorageClassName) || classes.Get(null, claim.Spec.StorageClassName) is not { } storageClass)
        {
            return;
        }
        if (claim.Metadata.Annotations?.TryGetValue(VolumeNames.SelectedNode, out var nodeName) != true || string.IsNullOrEmpty(nodeName))
        {
            recorder.Event(claim, EventTypes.Warning, "ProvisioningFailed", "failed to provision volume with StorageClass \""
                + storageClass.Metadata.Name + "\": configuration error, no node was specified");
            return;
        }
        string? hostname = null;
        nodes.Get(null, nodeName)?.Metadata.Labels?.TryGetValue(LocalPathVolumes.HostnameLabel, out hostname);
        var volume = LocalPathVolumes.For(claim, storageClass, nodeName, hostname, baseDir);
        recorder.Event(claim, EventTypes.Normal, "Provisioning", $"External provisioner is provisioning volume for claim \"{key}\"");
        try
        {
            await client.CoreV1.CreatePersistentVolumeAsync(volume, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            return;
        }
        LogProvisioned(Logger, key, volume.Metadata.Name, volume.Spec.HostPath.Path);
        recorder.Event(claim, EventTypes.Normal, "ProvisioningSucceeded", $"Successfully provisioned volume {volume.Metadata.Name}");
    }

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "created the default StorageClass {Name}")]
    private static partial void LogDefaultClass(ILogger logger, string name);

    [LoggerMessage(EventId = 6113, Level = LogLevel.Warning, Message = "could not create the default StorageClass")]
    private static partial void LogDefaultClassFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Information, Message = "claim {Claim}: provisioned volume {Volume} at {Path}")]
    private static partial void LogProvisioned(ILogger logger, string claim, string volume, string path);
}
