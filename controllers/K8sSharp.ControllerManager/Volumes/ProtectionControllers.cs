using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Volumes;

/// <summary>
/// Upstream's pvc-protection controller: a claim being deleted keeps its <c>kubernetes.io/pvc-protection</c> finalizer
/// (added at admission) while a pod that is not terminated uses it; then the finalizer goes. Before removing it the
/// pods are listed live from the API server, as upstream does, so a pod the cache has not seen yet still protects.
/// </summary>
internal sealed class ClaimProtectionController : QueuedController
{
    private readonly IKubernetes client;
    private Lister<V1PersistentVolumeClaim> claims = null!;
    private Lister<V1Pod> pods = null!;

    public ClaimProtectionController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
    }

    public override string Name => "pvc-protection";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var claimInformer = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolumeClaim>(client));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        claims = claimInformer.Lister;
        pods = podInformer.Lister;
        EnqueueOnEveryChange(claimInformer);
        podInformer.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnUpdate = (_, p) => EnqueueClaimsOf(p),
            OnDelete = EnqueueClaimsOf,
        });
    }

    private void EnqueueClaimsOf(V1Pod pod)
    {
        foreach (var name in ClaimNames(pod))
        {
            Queue.Add(ObjectKeys.For(pod.Metadata.NamespaceProperty, name));
        }
    }

    /// <summary>persistentVolumeClaim volumes and the &lt;pod&gt;-&lt;volume&gt; claims of generic ephemeral volumes.</summary>
    internal static IEnumerable<string> ClaimNames(V1Pod pod) =>
        (pod.Spec?.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName ?? (v.Ephemeral is null ? null : pod.Metadata.Name + "-" + v.Name))
            .OfType<string>();

    /// <summary>A pod uses its claims until it has terminated (upstream podUsesPVC ignores Succeeded and Failed pods).</summary>
    internal static bool Uses(V1Pod pod, string claimName) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && ClaimNames(pod).Contains(claimName);

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (claims.Get(ns, name) is not { Metadata.DeletionTimestamp: not null } claim
            || claim.Metadata.Finalizers?.Contains(VolumeNames.ClaimProtectionFinalizer) != true
            || pods.List(ns).Any(p => Uses(p, name)))
        {
            return;
        }
        var live = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cancellationToken);
        if (live.Items.Any(p => Uses(p, name)))
        {
            return;
        }
        await Finalizers.RemoveAsync(claim.Metadata, VolumeNames.ClaimProtectionFinalizer,
            patch => client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, cancellationToken: cancellationToken));
    }
}

/// <summary>
/// Upstream's pv-protection controller: a volume being deleted keeps its <c>kubernetes.io/pv-protection</c> finalizer
/// while it is Bound to a claim; then the finalizer goes.
/// </summary>
internal sealed class VolumeProtectionController : QueuedController
{
    private readonly IKubernetes client;
    private Lister<V1PersistentVolume> volumes = null!;

    public VolumeProtectionController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
    }

    public override string Name => "pv-protection";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var informer = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolume>(client));
        volumes = informer.Lister;
        EnqueueOnEveryChange(informer);
    }

    public override Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (volumes.Get(null, key) is not { Metadata.DeletionTimestamp: not null } volume
            || volume.Metadata.Finalizers?.Contains(VolumeNames.VolumeProtectionFinalizer) != true
            || volume.Status?.Phase == VolumeNames.Bound)
        {
            return Task.CompletedTask;
        }
        return Finalizers.RemoveAsync(volume.Metadata, VolumeNames.VolumeProtectionFinalizer,
            patch => client.CoreV1.PatchPersistentVolumeAsync(patch, key, cancellationToken: cancellationToken));
    }
}

/// <summary>Finalizer removal as a merge patch guarded by resourceVersion (a concurrent change fails with 409 and is retried).</summary>
internal static class Finalizers
{
    public static async Task RemoveAsync<T>(V1ObjectMeta meta, string finalizer, Func<V1Patch, Task<T>> send)
    {
        var remaining = new JsonArray([.. (meta.Finalizers ?? []).Where(f => f != finalizer).Select(f => (JsonNode?)JsonValue.Create(f))]);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = remaining, ["resourceVersion"] = meta.ResourceVersion } };
        try
        {
            await send(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch));
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Already gone.
        }
    }
}
