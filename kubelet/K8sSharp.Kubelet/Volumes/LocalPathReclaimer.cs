using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Controllers;
using K8sSharp.Client.Informers;
using K8sSharp.Client.WorkQueues;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Volumes;

/// <summary>
/// The node half of the local-path provisioner (the controller-manager creates the volumes, but cannot reach the
/// node's disk): a PersistentVolume provisioned by <c>k8ssharp.io/local-path</c>, pinned to this node, Released with
/// reclaim policy Delete, has its directory removed here and is then deleted (uid-guarded). Only directories directly
/// inside <c>--local-path-dir</c> are ever removed, so a volume edited to point elsewhere is deleted but its path kept.
/// The directory itself is created on first mount (the volume's hostPath type is DirectoryOrCreate).
/// </summary>
internal sealed partial class LocalPathReclaimer(IKubernetes client, string nodeName, string baseDir, ILogger logger) : IDisposable
{
    public const string Provisioner = "k8ssharp.io/local-path";
    private readonly WorkQueue queue = new();
    private Lister<V1PersistentVolume> volumes = null!;

    public void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var informer = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolume>(client));
        volumes = informer.Lister;
        informer.AddEventHandler(new ResourceEventHandler<V1PersistentVolume>
        {
            OnAdd = v => queue.Add(v.Metadata.Name),
            OnUpdate = (_, v) => queue.Add(v.Metadata.Name),
        });
    }

    public Task RunAsync(CancellationToken cancellationToken) => ControllerRunner.RunWorkersAsync(queue, 1, ReconcileAsync, logger, cancellationToken);

    /// <summary>Ours to reclaim: our provisioner's, released, policy Delete, on this node, not already being deleted.</summary>
    public static bool ShouldReclaim(V1PersistentVolume volume, string nodeName) =>
        volume.Metadata.Annotations?.TryGetValue("pv.kubernetes.io/provisioned-by", out var by) == true && by == Provisioner
        && volume.Status?.Phase == "Released" && volume.Spec.PersistentVolumeReclaimPolicy == "Delete"
        && volume.Metadata.DeletionTimestamp is null && volume.Spec.HostPath?.Path is { Length: > 0 }
        && (volume.Spec.NodeAffinity?.Required?.NodeSelectorTerms ?? []).Any(t =>
            (t.MatchExpressions ?? []).Concat(t.MatchFields ?? []).Any(r => r.OperatorProperty == "In" && r.Values?.Contains(nodeName) == true));

    /// <summary>The path is a direct child of the base directory (no "..", no symlinked escape through the name).</summary>
    public static bool IsInside(string path, string baseDir) =>
        Path.GetDirectoryName(Path.GetFullPath(path).TrimEnd('/')) == Path.GetFullPath(baseDir).TrimEnd('/');

    public async Task ReconcileAsync(string name, CancellationToken cancellationToken)
    {
        if (volumes.Get(null, name) is not { } volume || !ShouldReclaim(volume, nodeName))
        {
            return;
        }
        var path = volume.Spec.HostPath.Path;
        if (IsInside(path, baseDir) && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
            LogRemoved(logger, name, path);
        }
        try
        {
            await client.CoreV1.DeletePersistentVolumeAsync(name, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = volume.Metadata.Uid } },
                cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Deleted meanwhile.
        }
    }

    public void Dispose() => queue.Dispose();

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "volume {Volume} released with reclaim policy Delete: removed {Path}")]
    private static partial void LogRemoved(ILogger logger, string volume, string path);
}
