using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Kubelet.Logs;
using K8sSharp.Kubelet.Network;
using K8sSharp.Kubelet.Probes;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Status;
using K8sSharp.Kubelet.Volumes;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Pods;

/// <summary>The collaborators of <see cref="PodSyncer"/>.</summary>
internal sealed record PodSyncerDependencies(
    IKubernetes Client,
    Lister<V1Pod> Pods,
    IContainerRuntime Runtime,
    PodNetwork Network,
    VolumeManager Volumes,
    IObjectSource Objects,
    ProbeManager Probes,
    Handlers Handlers,
    StatusManager Statuses,
    IPodEvents Events,
    ContainerLogCopier Logs,
    PodPaths Paths,
    NodeContext Node,
    TimeProvider Time,
    ILogger Logger);

/// <summary>
/// Level-triggered sync of one pod key ("ns/name"), the kubelet's syncPod/computePodActions: compare the pod in the
/// cache with what the runtime holds under this node's labels and converge. A pod that is gone (or replaced by a
/// namesake with another uid) has its containers, network, volumes and logs removed. A pod with a deletionTimestamp
/// is killed gracefully and then deleted with grace period 0. A terminal pod is stopped. A live pod gets its sandbox
/// (network), DNS files, volumes, init containers in order, then its containers, restarted as its restartPolicy
/// says with CrashLoopBackOff; its status is computed and written when it changed. Returns when to sync again.
/// </summary>
internal sealed partial class PodSyncer(PodSyncerDependencies deps)
{
    private readonly Backoff crashBackoff = Backoff.ForContainers(deps.Time);
    private readonly Backoff imageBackoff = Backoff.ForContainers(deps.Time);

    private ILogger Logger => deps.Logger;

    public async Task<TimeSpan?> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var pod = deps.Pods.Get(ns, name);
        var onNode = (await deps.Runtime.ListPodsAsync(cancellationToken)).Where(p => p.Namespace == ns && p.Name == name).Select(p => p.Uid);
        foreach (var uid in onNode.Where(uid => uid != pod?.Metadata.Uid))
        {
            await CleanUpAsync(uid, ns, name, cancellationToken);
        }
        if (pod is null || pod.Spec.NodeName != deps.Node.NodeName)
        {
            return null;
        }
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            await TerminateAndDeleteAsync(pod, cancellationToken);
            return null;
        }
        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            await StopPodAsync(pod, await deps.Runtime.GetPodAsync(pod.Metadata.Uid, cancellationToken), TimeSpan.FromSeconds(2), cancellationToken);
            return null;
        }
        var sync = new SyncState(deps.Time.GetUtcNow());
        await SyncLivePodAsync(pod, sync, cancellationToken);
        var wait = sync.NextSync - deps.Time.GetUtcNow();
        return wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait;
    }

    /// <summary>The termination grace of a pod: the deletion's grace period, else the spec's, else 30 s.</summary>
    private static TimeSpan Grace(V1Pod pod) =>
        TimeSpan.FromSeconds(pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30);

    private async Task TerminateAndDeleteAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        var state = await deps.Runtime.GetPodAsync(uid, cancellationToken);
        await StopPodAsync(pod, state, Grace(pod), cancellationToken);
        state = await deps.Runtime.GetPodAsync(uid, cancellationToken);
        var status = BuildStatus(pod, state, new SyncState(deps.Time.GetUtcNow()), PodIpOf(pod, state));
        status.Phase = pod.Status?.Phase is "Succeeded" or "Failed" ? pod.Status.Phase
            : status.ContainerStatuses.All(c => c.State?.Terminated is { ExitCode: 0 }) && status.ContainerStatuses.Count > 0 ? "Succeeded" : "Failed";
        // Reclaim everything before the final status and the delete, so a finished `kubectl delete` means the node is clean.
        await CleanUpAsync(uid, pod.Metadata.NamespaceProperty, pod.Metadata.Name, cancellationToken);
        await deps.Statuses.SetAsync(pod, status, cancellationToken);
        try
        {
            await deps.Client.CoreV1.DeleteNamespacedPodAsync(
                pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = uid } },
                cancellationToken: cancellationToken);
            LogDeleted(Logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // already gone, or a namesake with another uid
        }
    }

    /// <summary>Kills the running containers (preStop, then the stop signal, SIGKILL after the grace) and the sandbox, and detaches the network.</summary>
    private async Task StopPodAsync(V1Pod pod, PodRuntimeState state, TimeSpan grace, CancellationToken cancellationToken)
    {
        var podIp = PodIpOf(pod, state) ?? "";
        var running = state.Containers.Where(c => c.Running).ToList();
        await Task.WhenAll(running.Select(c =>
            KillContainerAsync(pod, SpecOf(pod, c.Name), c, podIp, grace, $"Stopping container {c.Name}", cancellationToken)));
        foreach (var sandbox in state.Sandboxes)
        {
            if (sandbox.Running)
            {
                await deps.Runtime.StopContainerAsync(sandbox.Id, TimeSpan.Zero, cancellationToken);
            }
            await TearDownNetworkAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, sandbox.Id, cancellationToken);
        }
        deps.Probes.RemovePod(pod.Metadata.Uid);
    }

    /// <summary>Removes every trace of a pod uid from the node: containers, network, volumes, pod dir, logs.</summary>
    private async Task CleanUpAsync(string uid, string ns, string name, CancellationToken cancellationToken)
    {
        var state = await deps.Runtime.GetPodAsync(uid, cancellationToken);
        // Concurrently, as upstream kills a pod's containers: each may take its whole 2 s stop timeout.
        await Task.WhenAll(state.Containers.Select(async container =>
        {
            await deps.Runtime.StopContainerAsync(container.Id, TimeSpan.FromSeconds(2), cancellationToken);
            await deps.Runtime.RemoveContainerAsync(container.Id, cancellationToken);
            deps.Logs.Forget(container.Id);
        }));
        foreach (var sandbox in state.Sandboxes)
        {
            await TearDownNetworkAsync(ns, name, uid, sandbox.Id, cancellationToken);
            await deps.Runtime.RemoveContainerAsync(sandbox.Id, cancellationToken);
        }
        deps.Probes.RemovePod(uid);
        deps.Statuses.Forget(uid);
        crashBackoff.Forget(uid + "/");
        imageBackoff.Forget(uid + "/");
        deps.Volumes.TearDown(uid);
        DeleteDirectory(deps.Paths.PodDir(uid));
        DeleteLogs(ns, name, uid);
        LogCleanedUp(Logger, ns, name, uid);
    }

    private void DeleteLogs(string ns, string name, string uid)
    {
        var podLogs = deps.Paths.PodLogDir(ns, name, uid);
        if (Directory.Exists(deps.Paths.ContainerLogLinks))
        {
            foreach (var link in Directory.EnumerateFiles(deps.Paths.ContainerLogLinks, $"{name}_{ns}_*.log"))
            {
                if (new FileInfo(link).LinkTarget?.StartsWith(podLogs + "/", StringComparison.Ordinal) == true)
                {
                    File.Delete(link);
                }
            }
        }
        DeleteDirectory(podLogs);
    }

    private static void DeleteDirectory(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static V1Container? SpecOf(V1Pod pod, string name) =>
        pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == name);

    /// <summary>Debug timing of a live pod's sync: the step just done and the milliseconds since the sync began.</summary>
    private void Step(V1Pod pod, SyncState sync, string step)
    {
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            LogStep(Logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, step, System.Diagnostics.Stopwatch.GetElapsedTime(sync.StartedTimestamp).TotalMilliseconds);
        }
    }

    [LoggerMessage(EventId = 6206, Level = LogLevel.Debug, Message = "sync {Namespace}/{Name}: {Step} at {Milliseconds:0} ms")]
    private static partial void LogStep(ILogger logger, string @namespace, string name, string step, double milliseconds);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "deleted pod {Namespace}/{Name} after its containers stopped")]
    private static partial void LogDeleted(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "cleaned up pod {Namespace}/{Name} ({Uid})")]
    private static partial void LogCleanedUp(ILogger logger, string @namespace, string name, string uid);
}
