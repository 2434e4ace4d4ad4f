using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Volumes;

/// <summary>
/// The PV binder (upstream pkg/controller/volume/persistentvolume): keys are <c>pvc:&lt;ns&gt;/&lt;name&gt;</c> and
/// <c>pv:&lt;name&gt;</c>. A claim sync applies <see cref="BindingDecisions.DecideClaim"/>: binding writes the volume's
/// claimRef (+ bound-by-controller) and phase Bound, then the claim's volumeName (+ bind-completed, bound-by-controller)
/// and its Bound status; waiting records the reason as an event and, for a class with a provisioner, the
/// storage-provisioner annotations that hand the claim to that provisioner. A volume sync applies
/// <see cref="BindingDecisions.DecideVolume"/>; a Released volume with reclaim policy Delete is left to the provisioner
/// that made it (annotation provisioned-by), one without a provisioner (or Recycle) goes Failed, Retain stays Released.
/// </summary>
internal sealed partial class PersistentVolumeController : QueuedController
{
    private const string ClaimPrefix = "pvc:";
    private const string VolumePrefix = "pv:";
    private readonly IKubernetes client;
    private readonly IEventRecorder recorder;
    private Lister<V1PersistentVolumeClaim> claims = null!;
    private Lister<V1PersistentVolume> volumes = null!;
    private Lister<V1StorageClass> classes = null!;
    private Lister<V1Node> nodes = null!;

    public PersistentVolumeController(IKubernetes client, IEventRecorder recorder, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.recorder = recorder;
    }

    public override string Name => "persistentvolume-binder";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var claimInformer = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolumeClaim>(client));
        var volumeInformer = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolume>(client));
        claims = claimInformer.Lister;
        volumes = volumeInformer.Lister;
        classes = informers.GetOrAdd(() => ListWatchers.For<V1StorageClass>(client)).Lister;
        nodes = informers.GetOrAdd(() => ListWatchers.For<V1Node>(client)).Lister;
        claimInformer.AddEventHandler(new ResourceEventHandler<V1PersistentVolumeClaim>
        {
            OnAdd = c => Queue.Add(ClaimPrefix + ObjectKeys.For(c)),
            OnUpdate = (_, c) => Queue.Add(ClaimPrefix + ObjectKeys.For(c)),
            OnDelete = c => EnqueueVolume(c.Spec?.VolumeName),
        });
        volumeInformer.AddEventHandler(new ResourceEventHandler<V1PersistentVolume>
        {
            OnAdd = EnqueueVolumeAndClaim,
            OnUpdate = (_, v) => EnqueueVolumeAndClaim(v),
            OnDelete = v => EnqueueClaim(v.Spec?.ClaimRef),
        });
    }

    private void EnqueueVolume(string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            Queue.Add(VolumePrefix + name);
        }
    }

    private void EnqueueClaim(V1ObjectReference? claimRef)
    {
        if (claimRef is { Name.Length: > 0 })
        {
            Queue.Add(ClaimPrefix + ObjectKeys.For(claimRef.NamespaceProperty, claimRef.Name));
        }
    }

    /// <summary>A new or changed volume may be what a pending claim waits for: unbound claims are retried too.</summary>
    private void EnqueueVolumeAndClaim(V1PersistentVolume volume)
    {
        EnqueueVolume(volume.Metadata.Name);
        EnqueueClaim(volume.Spec?.ClaimRef);
        foreach (var claim in claims.List().Where(c => string.IsNullOrEmpty(c.Spec?.VolumeName)))
        {
            Queue.Add(ClaimPrefix + ObjectKeys.For(claim));
        }
    }

    public override Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(ClaimPrefix, StringComparison.Ordinal)
            ? SyncClaimAsync(key[ClaimPrefix.Length..], cancellationToken)
            : SyncVolumeAsync(key[VolumePrefix.Length..], cancellationToken);
    }

    private async Task SyncClaimAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (claims.Get(ns, name) is not { } claim || claim.Metadata.DeletionTimestamp is not null && string.IsNullOrEmpty(claim.Spec.VolumeName))
        {
            return;
        }
        var storageClass = string.IsNullOrEmpty(claim.Spec.StorageClassName) ? null : classes.Get(null, claim.Spec.StorageClassName);
        var selectedNode = claim.Metadata.Annotations?.TryGetValue(VolumeNames.SelectedNode, out var node) == true ? nodes.Get(null, node) : null;
        var writes = new VolumeWrites(client);
        switch (BindingDecisions.DecideClaim(claim, volumes.List(), storageClass, selectedNode))
        {
            case ClaimStep.Bind bind:
                LogBinding(Logger, key, bind.Volume.Metadata.Name);
                await writes.BindAsync(claim, bind.Volume, cancellationToken);
                break;
            case ClaimStep.Wait wait:
                await WaitAsync(writes, claim, wait, cancellationToken);
                break;
            case ClaimStep.Lose lose:
                if (claim.Status?.Phase != VolumeNames.Lost)
                {
                    recorder.Event(claim, EventTypes.Warning, lose.Reason, lose.Message);
                    await writes.SetClaimPhaseAsync(claim, VolumeNames.Lost, cancellationToken);
                }
                break;
        }
    }

    private async Task WaitAsync(VolumeWrites writes, V1PersistentVolumeClaim claim, ClaimStep.Wait wait, CancellationToken cancellationToken)
    {
        recorder.Event(claim, wait.Type, wait.Reason, wait.Message);
        if (wait.Provisioner is { } provisioner && claim.Metadata.Annotations?.TryGetValue(VolumeNames.StorageProvisioner, out var current) != true)
        {
            await writes.AnnotateProvisionerAsync(claim, provisioner, cancellationToken);
        }
        if (claim.Status?.Phase != VolumeNames.Pending)
        {
            await writes.SetClaimPhaseAsync(claim, VolumeNames.Pending, cancellationToken);
        }
    }

    private async Task SyncVolumeAsync(string name, CancellationToken cancellationToken)
    {
        if (volumes.Get(null, name) is not { } volume)
        {
            return;
        }
        var claimRef = volume.Spec.ClaimRef;
        var claim = claimRef is null ? null : claims.Get(claimRef.NamespaceProperty, claimRef.Name);
        var writes = new VolumeWrites(client);
        switch (BindingDecisions.DecideVolume(volume, claim))
        {
            case VolumeStep.MakeAvailable:
                await writes.SetVolumePhaseAsync(volume, VolumeNames.Available, null, cancellationToken);
                break;
            case VolumeStep.MakeBound:
                await writes.SetVolumePhaseAsync(volume, VolumeNames.Bound, null, cancellationToken);
                break;
            case VolumeStep.Unbind:
                await writes.UnbindVolumeAsync(volume, cancellationToken);
                break;
            case VolumeStep.Release:
                await ReleaseAsync(writes, volume, cancellationToken);
                break;
        }
    }

    /// <summary>Released, then reclaimed as the policy says (see the class summary).</summary>
    private async Task ReleaseAsync(VolumeWrites writes, V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        LogReleased(Logger, volume.Metadata.Name, volume.Spec.PersistentVolumeReclaimPolicy ?? "Retain");
        var policy = volume.Spec.PersistentVolumeReclaimPolicy;
        if (policy == "Recycle")
        {
            recorder.Event(volume, EventTypes.Warning, "VolumeFailedRecycle", "No recycler plugin found for the volume!");
            await writes.SetVolumePhaseAsync(volume, VolumeNames.Failed, "No recycler plugin found for the volume!", cancellationToken);
        }
        else if (policy == "Delete" && !BindingDecisions.HasAnnotation(volume.Metadata, VolumeNames.ProvisionedBy))
        {
            const string message = "error getting deleter volume plugin for volume: no deletable volume plugin matched";
            recorder.Event(volume, EventTypes.Warning, "VolumeFailedDelete", message);
            await writes.SetVolumePhaseAsync(volume, VolumeNames.Failed, message, cancellationToken);
        }
        else
        {
            await writes.SetVolumePhaseAsync(volume, VolumeNames.Released, null, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "claim {Claim}: binding to volume {Volume}")]
    private static partial void LogBinding(ILogger logger, string claim, string volume);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "volume {Volume}: claim gone, released (reclaim policy {Policy})")]
    private static partial void LogReleased(ILogger logger, string volume, string policy);
}
