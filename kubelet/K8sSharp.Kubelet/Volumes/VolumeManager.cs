using k8s;
using k8s.Models;
using K8sSharp.Kubelet.Pods;

namespace K8sSharp.Kubelet.Volumes;

/// <summary>How a pod volume reaches its containers: a host path they bind-mount (a tmpfs mount point for emptyDir medium Memory).</summary>
internal sealed record MountSource(string HostPath, bool ReadOnly);

/// <summary>
/// Sets up a pod's volumes before its containers start and refreshes the API-backed ones on every sync (the
/// volume manager's desired-state loop, folded into the pod sync): emptyDir (a directory under the pod dir, or a
/// tmpfs mounted there for medium Memory, shared by the pod's containers), hostPath with its type checks, configMap/secret/downwardAPI/projected written by the
/// <see cref="AtomicWriter"/> (read-only in containers), and persistentVolumeClaim bound to a hostPath or local PV.
/// </summary>
internal sealed class VolumeManager(IKubernetes client, IObjectSource objects, PodPaths paths, ServiceAccountTokens tokens, TimeProvider time)
{
    private readonly Projections projections = new(objects);

    /// <summary>Every volume of the pod by name; throws <see cref="VolumeSetupException"/> naming the first volume that failed.</summary>
    public async Task<Dictionary<string, MountSource>> SetUpAsync(V1Pod pod, DownwardContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var mounts = new Dictionary<string, MountSource>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            try
            {
                mounts[volume.Name] = await SetUpAsync(pod, volume, context, cancellationToken);
            }
            catch (Exception e) when (e is VolumeSetupException or IOException or UnauthorizedAccessException)
            {
                throw new VolumeSetupException($"MountVolume.SetUp failed for volume \"{volume.Name}\" : {e.Message}");
            }
        }
        return mounts;
    }

    /// <summary>
    /// Unmounts the pod's memory volumes and removes its volume directories (never following hostPath or PV paths,
    /// which live elsewhere).
    /// </summary>
    public void TearDown(string podUid)
    {
        tokens.Forget(podUid);
        var dir = Path.Combine(paths.PodDir(podUid), "volumes");
        if (Directory.Exists(dir))
        {
            NativeMounts.UnmountUnder(dir);
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<MountSource> SetUpAsync(V1Pod pod, V1Volume volume, DownwardContext context, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        var ns = pod.Metadata.NamespaceProperty;
        if (volume.EmptyDir is { } emptyDir)
        {
            return EmptyDir(uid, volume.Name, emptyDir);
        }
        if (volume.HostPath is { } hostPath)
        {
            HostPathTypes.Check(hostPath.Path, hostPath.Type);
            return new MountSource(hostPath.Path, false);
        }
        if (volume.PersistentVolumeClaim is { } claim)
        {
            return new MountSource(await PersistentVolumePathAsync(ns, claim.ClaimName, cancellationToken), claim.ReadOnlyProperty == true);
        }
        Dictionary<string, FileProjection>? payload = null;
        string plugin;
        if (volume.ConfigMap is { } cm)
        {
            plugin = "kubernetes.io~configmap";
            payload = projections.ConfigMap(ns, cm.Name, cm.Items, cm.Optional == true, cm.DefaultMode);
        }
        else if (volume.Secret is { } secret)
        {
            plugin = "kubernetes.io~secret";
            payload = projections.Secret(ns, secret.SecretName, secret.Items, secret.Optional == true, secret.DefaultMode);
        }
        else if (volume.DownwardAPI is { } downward)
        {
            plugin = "kubernetes.io~downward-api";
            payload = Projections.DownwardApi(pod, downward.Items, downward.DefaultMode, context);
        }
        else if (volume.Projected is { } projected)
        {
            plugin = "kubernetes.io~projected";
            payload = await ProjectedAsync(pod, projected, context, cancellationToken);
        }
        else
        {
            throw new VolumeSetupException("unsupported volume type (supported: emptyDir, hostPath, configMap, secret, downwardAPI, projected, persistentVolumeClaim)");
        }
        var dir = paths.VolumeDir(uid, plugin, volume.Name);
        new AtomicWriter(dir, time).Write(payload ?? []);
        return new MountSource(dir, true);
    }

    private MountSource EmptyDir(string uid, string name, V1EmptyDirVolumeSource emptyDir)
    {
        var dir = paths.VolumeDir(uid, "kubernetes.io~empty-dir", name);
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111); // 0777: any container user may write, as upstream
        }
        if (emptyDir.Medium == "Memory")
        {
            NativeMounts.MountTmpfs(dir, emptyDir.SizeLimit?.ToInt64() is > 0 and var bytes ? bytes : null);
        }
        return new MountSource(dir, false);
    }

    private async Task<Dictionary<string, FileProjection>> ProjectedAsync(V1Pod pod, V1ProjectedVolumeSource projected, DownwardContext context, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var source in projected.Sources ?? [])
        {
            var part = source switch
            {
                { ConfigMap: { } cm } => projections.ConfigMap(ns, cm.Name, cm.Items, cm.Optional == true, projected.DefaultMode),
                { Secret: { } secret } => projections.Secret(ns, secret.Name, secret.Items, secret.Optional == true, projected.DefaultMode),
                { DownwardAPI: { } downward } => Projections.DownwardApi(pod, downward.Items, projected.DefaultMode, context),
                { ServiceAccountToken: { } token } => new Dictionary<string, FileProjection>
                {
                    [token.Path] = new(await tokens.GetAsync(pod, token, cancellationToken), (UnixFileMode)(projected.DefaultMode ?? Projections.DefaultMode)),
                },
                _ => [],
            };
            foreach (var (path, file) in part ?? [])
            {
                payload[path] = file;
            }
        }
        return payload;
    }

    private async Task<string> PersistentVolumePathAsync(string ns, string claimName, CancellationToken cancellationToken)
    {
        V1PersistentVolumeClaim claim;
        try
        {
            claim = await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claimName, ns, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new VolumeSetupException($"persistentvolumeclaim \"{claimName}\" not found");
        }
        if (claim.Status?.Phase != "Bound" || string.IsNullOrEmpty(claim.Spec.VolumeName))
        {
            throw new VolumeSetupException($"persistentvolumeclaim \"{claimName}\" is not bound");
        }
        var volume = await client.CoreV1.ReadPersistentVolumeAsync(claim.Spec.VolumeName, cancellationToken: cancellationToken);
        var path = volume.Spec.HostPath?.Path ?? volume.Spec.Local?.Path
            ?? throw new VolumeSetupException($"persistentvolume \"{volume.Metadata.Name}\" is neither hostPath nor local");
        if (volume.Spec.HostPath is { } hostPath)
        {
            HostPathTypes.Check(hostPath.Path, hostPath.Type ?? "DirectoryOrCreate");
        }
        return path;
    }
}
