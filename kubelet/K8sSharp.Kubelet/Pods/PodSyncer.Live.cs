using System.Text.Json.Nodes;
using Docker.DotNet;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Kubelet.Network;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Status;
using K8sSharp.Kubelet.Volumes;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Pods;

internal sealed partial class PodSyncer
{
    private async Task SyncLivePodAsync(V1Pod pod, SyncState sync, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        var state = await deps.Runtime.GetPodAsync(uid, cancellationToken);
        Step(pod, sync, "runtime state read");
        if (NeedsNewSandbox(pod, state))
        {
            if (pod.Spec.RestartPolicy == "Never" && state.Containers.Count > 0)
            {
                await WriteStatusAsync(pod, state, sync, null, cancellationToken); // the pod ran once: it is over, never restarted
                return;
            }
            if (!await CreateSandboxAsync(pod, state, sync, cancellationToken))
            {
                await WriteStatusAsync(pod, state, sync, null, cancellationToken);
                return;
            }
            state = await deps.Runtime.GetPodAsync(uid, cancellationToken);
            Step(pod, sync, "sandbox ready");
        }
        var podIp = PodIpOf(pod, state);
        var sandbox = state.LatestSandbox!;
        await WriteDnsFilesAsync(pod, podIp ?? deps.Node.HostIp, cancellationToken);
        Dictionary<string, MountSource> mounts;
        try
        {
            mounts = await deps.Volumes.SetUpAsync(pod, Downward(podIp), cancellationToken);
        }
        catch (VolumeSetupException e)
        {
            deps.Events.Emit(pod, null, EventTypes.Warning, Reasons.FailedMount, e.Message);
            await WriteStatusAsync(pod, state, sync, podIp, cancellationToken);
            return;
        }
        Step(pod, sync, "dns files and volumes set up");
        var target = new ContainerTarget(pod, sandbox.Id, podIp ?? deps.Node.HostIp, mounts);
        deps.Probes.Sync(pod, state, target.PodIp);
        if (await SyncInitContainersAsync(target, state, sync, cancellationToken))
        {
            await SyncAppContainersAsync(target, state, sync, cancellationToken);
        }
        Step(pod, sync, "containers synced");
        state = await deps.Runtime.GetPodAsync(uid, cancellationToken);
        deps.Probes.Sync(pod, state, target.PodIp);
        EnsureLogCopies(pod, state);
        await WriteStatusAsync(pod, state, sync, podIp, cancellationToken);
        Step(pod, sync, "status written");
    }

    /// <summary>A pod and the parts of its sandbox its containers need.</summary>
    private sealed record ContainerTarget(V1Pod Pod, string SandboxId, string PodIp, IReadOnlyDictionary<string, MountSource> Mounts);

    private DownwardContext Downward(string? podIp) => new(podIp ?? "", deps.Node.HostIp, deps.Node.Allocatable);

    private string? PodIpOf(V1Pod pod, PodRuntimeState state) =>
        state.LatestSandbox is not { } sandbox ? null
        : pod.Spec.HostNetwork == true ? deps.Node.HostIp
        : deps.Network.PodIp(sandbox.Id);

    private bool NeedsNewSandbox(V1Pod pod, PodRuntimeState state) =>
        state.LatestSandbox is not { Running: true } sandbox
        || (pod.Spec.HostNetwork != true && deps.Network.PodIp(sandbox.Id) is null);

    /// <summary>
    /// Replaces the pod's sandbox: kills its containers (they live in the old namespaces), removes the old sandboxes
    /// and their network, starts a pause container and attaches it with CNI. False (with an event) on failure.
    /// </summary>
    private async Task<bool> CreateSandboxAsync(V1Pod pod, PodRuntimeState state, SyncState sync, CancellationToken cancellationToken)
    {
        var meta = pod.Metadata;
        var hostNetwork = pod.Spec.HostNetwork == true;
        if (!hostNetwork && !deps.Network.Ready)
        {
            deps.Events.Emit(pod, null, EventTypes.Warning, "NetworkNotReady", "network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:the node has no podCIDR yet");
            sync.SyncBy(deps.Time.GetUtcNow() + TimeSpan.FromSeconds(2));
            return false;
        }
        if (state.LatestSandbox is not null)
        {
            deps.Events.Emit(pod, null, EventTypes.Normal, Reasons.SandboxChanged, "Pod sandbox changed, it will be killed and re-created.");
            await StopPodAsync(pod, state, TimeSpan.FromSeconds(2), cancellationToken);
            foreach (var old in state.Sandboxes)
            {
                await deps.Runtime.RemoveContainerAsync(old.Id, cancellationToken);
            }
        }
        var attempt = (state.LatestSandbox?.Attempt + 1) ?? 0;
        string? id = null;
        try
        {
            id = await deps.Runtime.CreateContainerAsync(ContainerConfigBuilder.Sandbox(pod, deps.Node.NodeName, attempt, deps.Node.ClusterDomain), cancellationToken);
            Step(pod, sync, "sandbox container created");
            await deps.Runtime.StartContainerAsync(id, cancellationToken);
            Step(pod, sync, "sandbox container started");
            if (!hostNetwork)
            {
                var sandbox = (await deps.Runtime.GetPodAsync(meta.Uid, cancellationToken)).Sandboxes.First(s => s.Id == id);
                var request = new PodNetworkRequest(meta.NamespaceProperty, meta.Name, meta.Uid, id, $"/proc/{sandbox.Pid}/ns/net", PortMappings(pod));
                var ip = await deps.Network.SetUpAsync(request, cancellationToken);
                Step(pod, sync, "network set up");
                LogSandbox(Logger, meta.NamespaceProperty, meta.Name, ip);
            }
            return true;
        }
        catch (Exception e) when (e is CniException or DockerApiException or IOException)
        {
            deps.Events.Emit(pod, null, EventTypes.Warning, Reasons.FailedCreatePodSandBox, $"Failed to create pod sandbox: {e.Message}");
            if (id is not null)
            {
                await TearDownNetworkAsync(meta.NamespaceProperty, meta.Name, meta.Uid, id, cancellationToken);
                await deps.Runtime.RemoveContainerAsync(id, cancellationToken);
            }
            sync.SyncBy(deps.Time.GetUtcNow() + TimeSpan.FromSeconds(5));
            return false;
        }
    }

    private async Task TearDownNetworkAsync(string ns, string name, string uid, string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            await deps.Network.TearDownAsync(new PodNetworkRequest(ns, name, uid, sandboxId, "", []), cancellationToken);
        }
        catch (CniException e)
        {
            LogTearDownFailed(Logger, ns, name, e);
        }
    }

    /// <summary>hostPort mappings for the portmap plugin (its portMappings capability).</summary>
    private static JsonArray PortMappings(V1Pod pod)
    {
        var mappings = new JsonArray();
        foreach (var port in pod.Spec.Containers.SelectMany(c => c.Ports ?? []).Where(p => p.HostPort is > 0))
        {
            mappings.Add(new JsonObject
            {
                ["hostPort"] = port.HostPort,
                ["containerPort"] = port.ContainerPort,
                ["protocol"] = (port.Protocol ?? "TCP").ToLowerInvariant(),
                ["hostIP"] = port.HostIP ?? "",
            });
        }
        return mappings;
    }

    private async Task WriteDnsFilesAsync(V1Pod pod, string podIp, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        Directory.CreateDirectory(deps.Paths.PodDir(uid));
        var resolv = DnsFiles.PodResolvConf(pod, deps.Node.ClusterDns, deps.Node.ClusterDomain, deps.Node.HostResolvConf).Render();
        await WriteIfChangedAsync(deps.Paths.ResolvConf(uid), resolv, cancellationToken);
        await WriteIfChangedAsync(deps.Paths.EtcHosts(uid), DnsFiles.HostsFile(pod, podIp, deps.Node.ClusterDomain), cancellationToken);
    }

    private static async Task WriteIfChangedAsync(string path, string content, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) || await File.ReadAllTextAsync(path, cancellationToken) != content)
        {
            await File.WriteAllTextAsync(path, content, cancellationToken);
        }
    }

    private void EnsureLogCopies(V1Pod pod, PodRuntimeState state)
    {
        var meta = pod.Metadata;
        foreach (var c in state.Containers.Where(c => c.State != ContainerRunState.Created))
        {
            deps.Logs.Ensure(
                c.Id,
                deps.Paths.ContainerLogFile(meta.NamespaceProperty, meta.Name, meta.Uid, c.Name, c.RestartCount),
                deps.Paths.ContainerLogLink(meta.NamespaceProperty, meta.Name, c.Name, c.Id));
        }
    }

    private V1PodStatus BuildStatus(V1Pod pod, PodRuntimeState state, SyncState sync, string? podIp) => PodStatusBuilder.Build(new PodStatusInput
    {
        Pod = pod,
        Runtime = state,
        HostIp = deps.Node.HostIp,
        PodIp = podIp,
        Now = deps.Time.GetUtcNow().UtcDateTime,
        Waiting = sync.Waiting,
        IsReady = deps.Probes.IsReady,
        IsStarted = deps.Probes.IsStarted,
        ImageRef = imageId => imageRefs.GetValueOrDefault(imageId, "docker://" + imageId),
        TerminationMessage = id => TerminationMessage(pod, state, id),
    });

    private async Task WriteStatusAsync(V1Pod pod, PodRuntimeState state, SyncState sync, string? podIp, CancellationToken cancellationToken)
    {
        await ResolveImageRefsAsync(state, cancellationToken);
        await ReadFallbackLogsAsync(pod, state, cancellationToken);
        await deps.Statuses.SetAsync(pod, BuildStatus(pod, state, sync, podIp), cancellationToken);
    }

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "sandbox of {Namespace}/{Name} is up with IP {Ip}")]
    private static partial void LogSandbox(ILogger logger, string @namespace, string name, string ip);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Warning, Message = "tearing down the network of {Namespace}/{Name} failed")]
    private static partial void LogTearDownFailed(ILogger logger, string @namespace, string name, Exception exception);
}
