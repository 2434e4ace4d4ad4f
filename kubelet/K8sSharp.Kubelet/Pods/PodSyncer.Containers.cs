using System.Collections.Concurrent;
using Docker.DotNet;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Kubelet.Probes;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Status;

namespace K8sSharp.Kubelet.Pods;

internal sealed partial class PodSyncer
{
    private readonly ConcurrentDictionary<string, string> imageRefs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string?> terminationMessages = new(StringComparer.Ordinal);

    /// <summary>
    /// Init containers one at a time, in order: a regular one must exit 0 before the next starts (a failure is
    /// restarted with back-off unless restartPolicy is Never); a sidecar (restartPolicy Always) must be running and
    /// started, and keeps being restarted. True when every init container is done and the app containers may run.
    /// Once an app container has run, init containers are not run again.
    /// </summary>
    private async Task<bool> SyncInitContainersAsync(ContainerTarget target, PodRuntimeState state, SyncState sync, CancellationToken cancellationToken)
    {
        var pod = target.Pod;
        var initialized = pod.Spec.Containers.Any(c => state.Latest(c.Name) is not null);
        foreach (var init in pod.Spec.InitContainers ?? [])
        {
            var latest = state.Latest(init.Name);
            if (init.RestartPolicy == "Always")
            {
                await SyncContainerAsync(target, init, latest, "Always", sync, cancellationToken);
                if (!initialized && (latest is not { Running: true } || !deps.Probes.IsStarted(latest.Id)))
                {
                    return false;
                }
                continue;
            }
            if (initialized || latest is { State: ContainerRunState.Exited, ExitCode: 0 })
            {
                continue;
            }
            if (latest is { Running: true })
            {
                return false;
            }
            var policy = pod.Spec.RestartPolicy == "Never" ? "Never" : "OnFailure";
            await SyncContainerAsync(target, init, latest, policy, sync, cancellationToken);
            return false;
        }
        return true;
    }

    private async Task SyncAppContainersAsync(ContainerTarget target, PodRuntimeState state, SyncState sync, CancellationToken cancellationToken)
    {
        var policy = target.Pod.Spec.RestartPolicy ?? "Always";
        foreach (var container in target.Pod.Spec.Containers)
        {
            await SyncContainerAsync(target, container, state.Latest(container.Name), policy, sync, cancellationToken);
        }
    }

    /// <summary>
    /// One container: start it when it never ran; kill it when its liveness or startup probe failed; restart an exited
    /// one when the policy says so, unless it is in CrashLoopBackOff.
    /// </summary>
    private async Task SyncContainerAsync(ContainerTarget target, V1Container spec, RuntimeContainer? latest, string policy, SyncState sync, CancellationToken cancellationToken)
    {
        var pod = target.Pod;
        if (latest is null)
        {
            await StartContainerAsync(target, spec, null, sync, cancellationToken);
            return;
        }
        if (latest.Running)
        {
            if (deps.Probes.FailedProbe(latest.Id) is { } failed)
            {
                var probe = failed == ProbeKind.Liveness ? "liveness" : "startup";
                var probeSpec = failed == ProbeKind.Liveness ? spec.LivenessProbe : spec.StartupProbe;
                var grace = TimeSpan.FromSeconds(probeSpec?.TerminationGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30);
                await KillContainerAsync(pod, spec, latest, target.PodIp, grace, $"Container {spec.Name} failed {probe} probe, will be restarted", cancellationToken);
                sync.SyncBy(deps.Time.GetUtcNow());
            }
            return;
        }
        var restart = policy == "Always" || (policy == "OnFailure" && latest.ExitCode != 0);
        if (!restart)
        {
            return;
        }
        var key = BackoffKey(pod, spec);
        var finishedAt = new DateTimeOffset(latest.FinishedAt ?? latest.CreatedAt, TimeSpan.Zero);
        if (crashBackoff.IsInBackoffSince(key, finishedAt))
        {
            var delay = crashBackoff.Delay(key);
            var podName = $"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})";
            sync.Waiting[spec.Name] = new WaitingReason("CrashLoopBackOff", $"back-off {Go(delay)} restarting failed container={spec.Name} pod={podName}");
            deps.Events.Emit(pod, spec.Name, EventTypes.Warning, Reasons.BackOff, $"Back-off restarting failed container {spec.Name} in pod {podName}");
            sync.SyncBy(crashBackoff.RetryAt(key, finishedAt));
            return;
        }
        crashBackoff.Next(key, finishedAt);
        await StartContainerAsync(target, spec, latest, sync, cancellationToken);
    }

    /// <summary>A duration as Go prints it: 10s, 1m20s, 5m0s.</summary>
    private static string Go(TimeSpan d) => d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}m{d.Seconds}s" : $"{(int)d.TotalSeconds}s";

    private static string BackoffKey(V1Pod pod, V1Container container) => $"{pod.Metadata.Uid}/{container.Name}/{container.Image}";

    /// <summary>Image, env, create, start, postStart: any failure leaves a waiting reason (and an event) instead of a container.</summary>
    private async Task StartContainerAsync(ContainerTarget target, V1Container spec, RuntimeContainer? previous, SyncState sync, CancellationToken cancellationToken)
    {
        var pod = target.Pod;
        if (!await EnsureImageAsync(pod, spec, sync, cancellationToken))
        {
            return;
        }
        Step(pod, sync, $"image of {spec.Name} checked");
        var restartCount = previous is null ? 0 : previous.RestartCount + 1;
        string id;
        try
        {
            var env = EnvBuilder.Build(pod, spec, deps.Objects, Downward(target.PodIp));
            var parameters = ContainerConfigBuilder.Container(new ContainerContext
            {
                Pod = pod,
                Container = spec,
                NodeName = deps.Node.NodeName,
                SandboxId = target.SandboxId,
                RestartCount = restartCount,
                Env = env,
                Volumes = target.Mounts,
                Paths = deps.Paths,
            });
            PrepareTerminationMessageFile(pod.Metadata.Uid, spec.Name, restartCount);
            id = await deps.Runtime.CreateContainerAsync(parameters, cancellationToken);
        }
        catch (Exception e) when (e is ContainerConfigException or DockerApiException)
        {
            var reason = e is ContainerConfigException ? "CreateContainerConfigError" : "CreateContainerError";
            sync.Waiting[spec.Name] = new WaitingReason(reason, e.Message);
            deps.Events.Emit(pod, spec.Name, EventTypes.Warning, Reasons.Failed, "Error: " + e.Message);
            return;
        }
        Step(pod, sync, $"container {spec.Name} created");
        deps.Events.Emit(pod, spec.Name, EventTypes.Normal, Reasons.Created, $"Created container: {spec.Name}");
        try
        {
            await deps.Runtime.StartContainerAsync(id, cancellationToken);
        }
        catch (DockerApiException e)
        {
            sync.Waiting[spec.Name] = new WaitingReason("RunContainerError", e.Message);
            deps.Events.Emit(pod, spec.Name, EventTypes.Warning, Reasons.Failed, "Error: " + e.Message);
            return;
        }
        Step(pod, sync, $"container {spec.Name} started");
        deps.Events.Emit(pod, spec.Name, EventTypes.Normal, Reasons.Started, $"Started container {spec.Name}");
        var meta = pod.Metadata;
        deps.Logs.Ensure(id, deps.Paths.ContainerLogFile(meta.NamespaceProperty, meta.Name, meta.Uid, spec.Name, restartCount), deps.Paths.ContainerLogLink(meta.NamespaceProperty, meta.Name, spec.Name, id));
        await RunPostStartAsync(target, spec, id, cancellationToken);
        if (previous is not null) // a first start has no older containers of its name to remove
        {
            await RemoveOldContainersAsync(meta.Uid, spec.Name, keep: [id, previous.Id], cancellationToken);
        }
    }

    private async Task RunPostStartAsync(ContainerTarget target, V1Container spec, string id, CancellationToken cancellationToken)
    {
        if (spec.Lifecycle?.PostStart is not { } hook)
        {
            return;
        }
        var grace = TimeSpan.FromSeconds(target.Pod.Spec.TerminationGracePeriodSeconds ?? 30);
        var result = await deps.Handlers.HookAsync(hook, new HandlerTarget(spec, id, target.PodIp), grace, cancellationToken);
        if (!result.Success)
        {
            deps.Events.Emit(target.Pod, spec.Name, EventTypes.Warning, Reasons.FailedPostStartHook, result.Message);
            deps.Events.Emit(target.Pod, spec.Name, EventTypes.Normal, Reasons.Killing, $"FailedPostStartHook");
            await deps.Runtime.StopContainerAsync(id, grace, cancellationToken);
        }
    }

    /// <summary>Keeps the newest and the previous container of a name (status and lastState, logs --previous); removes older ones.</summary>
    private async Task RemoveOldContainersAsync(string uid, string name, string[] keep, CancellationToken cancellationToken)
    {
        var state = await deps.Runtime.GetPodAsync(uid, cancellationToken);
        foreach (var old in state.Containers.Where(c => c.Name == name && !c.Running && !keep.Contains(c.Id)))
        {
            await deps.Runtime.RemoveContainerAsync(old.Id, cancellationToken);
            deps.Logs.Forget(old.Id);
        }
    }

    /// <summary>preStop within the grace period, then stop (SIGTERM, SIGKILL after what is left of the grace, at least 2 s as upstream).</summary>
    private async Task KillContainerAsync(V1Pod pod, V1Container? spec, RuntimeContainer container, string podIp, TimeSpan grace, string message, CancellationToken cancellationToken)
    {
        deps.Events.Emit(pod, container.Name, EventTypes.Normal, Reasons.Killing, message);
        var started = deps.Time.GetUtcNow();
        if (spec?.Lifecycle?.PreStop is { } hook && container.Running)
        {
            var result = await deps.Handlers.HookAsync(hook, new HandlerTarget(spec, container.Id, podIp), grace, cancellationToken);
            if (!result.Success)
            {
                deps.Events.Emit(pod, container.Name, EventTypes.Warning, Reasons.FailedPreStopHook, $"PreStopHook failed: {result.Message}");
            }
        }
        var left = grace - (deps.Time.GetUtcNow() - started);
        await deps.Runtime.StopContainerAsync(container.Id, left < TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : left, cancellationToken);
    }

    /// <summary>
    /// The image pull policy: Never uses only a present image (ErrImageNeverPull), IfNotPresent pulls a missing one,
    /// Always pulls every time; a failed pull is ErrImagePull, and while its back-off lasts ImagePullBackOff.
    /// </summary>
    private async Task<bool> EnsureImageAsync(V1Pod pod, V1Container spec, SyncState sync, CancellationToken cancellationToken)
    {
        var image = spec.Image;
        var policy = spec.ImagePullPolicy ?? (ImageReference.Split(image).Tag == "latest" ? "Always" : "IfNotPresent");
        var present = await deps.Runtime.InspectImageAsync(image, cancellationToken);
        if (present is not null)
        {
            imageRefs[present.ID] = ImageReference.StatusImageId(present.ID, present.RepoDigests);
        }
        if (policy == "Never" || (policy == "IfNotPresent" && present is not null))
        {
            if (present is not null)
            {
                deps.Events.Emit(pod, spec.Name, EventTypes.Normal, Reasons.Pulled, $"Container image \"{image}\" already present on machine");
                return true;
            }
            var message = $"Container image \"{image}\" is not present with pull policy of Never";
            sync.Waiting[spec.Name] = new WaitingReason("ErrImageNeverPull", message);
            deps.Events.Emit(pod, spec.Name, EventTypes.Warning, Reasons.ErrImageNeverPull, message);
            return false;
        }
        var key = $"{pod.Metadata.Uid}/{image}";
        if (lastPullFailure.TryGetValue(key, out var failedAt) && imageBackoff.IsInBackoffSince(key, failedAt))
        {
            sync.Waiting[spec.Name] = new WaitingReason("ImagePullBackOff", $"Back-off pulling image \"{image}\"");
            deps.Events.Emit(pod, spec.Name, EventTypes.Normal, Reasons.BackOff, $"Back-off pulling image \"{image}\"");
            sync.SyncBy(imageBackoff.RetryAt(key, failedAt));
            return false;
        }
        deps.Events.Emit(pod, spec.Name, EventTypes.Normal, Reasons.Pulling, $"Pulling image \"{image}\"");
        var start = deps.Time.GetUtcNow();
        try
        {
            await deps.Runtime.PullImageAsync(image, cancellationToken);
        }
        catch (ImagePullException e)
        {
            var now = deps.Time.GetUtcNow();
            imageBackoff.Next(key, now);
            lastPullFailure[key] = now;
            sync.Waiting[spec.Name] = new WaitingReason("ErrImagePull", e.Message);
            deps.Events.Emit(pod, spec.Name, EventTypes.Warning, Reasons.Failed, $"Failed to pull image \"{image}\": {e.Message}");
            deps.Events.Emit(pod, spec.Name, EventTypes.Warning, Reasons.Failed, "Error: ErrImagePull");
            sync.SyncBy(imageBackoff.RetryAt(key, now));
            return false;
        }
        lastPullFailure.TryRemove(key, out _);
        var took = deps.Time.GetUtcNow() - start;
        deps.Events.Emit(pod, spec.Name, EventTypes.Normal, Reasons.Pulled, $"Successfully pulled image \"{image}\" in {took.TotalSeconds:0.###}s");
        return true;
    }

    private readonly ConcurrentDictionary<string, DateTimeOffset> lastPullFailure = new(StringComparer.Ordinal);

    private void PrepareTerminationMessageFile(string uid, string container, int restartCount)
    {
        var file = deps.Paths.TerminationMessageFile(uid, container, restartCount);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, []);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110); // 0666: any container user may write its message
    }

    private async Task ResolveImageRefsAsync(PodRuntimeState state, CancellationToken cancellationToken)
    {
        foreach (var imageId in state.Containers.Select(c => c.ImageId).Where(i => !string.IsNullOrEmpty(i) && !imageRefs.ContainsKey(i)).Distinct())
        {
            if (await deps.Runtime.InspectImageAsync(imageId, cancellationToken) is { } image)
            {
                imageRefs[imageId] = ImageReference.StatusImageId(image.ID, image.RepoDigests);
            }
        }
    }

    /// <summary>
    /// Termination messages of exited containers, read once: the file at terminationMessagePath (4096 bytes at most),
    /// or with FallbackToLogsOnError and a failure, the last 80 lines of the output (2048 bytes at most).
    /// </summary>
    private async Task ReadFallbackLogsAsync(V1Pod pod, PodRuntimeState state, CancellationToken cancellationToken)
    {
        foreach (var c in state.Containers.Where(c => c.State == ContainerRunState.Exited && !terminationMessages.ContainsKey(c.Id)))
        {
            var file = deps.Paths.TerminationMessageFile(pod.Metadata.Uid, c.Name, c.RestartCount);
            var message = File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : "";
            if (message.Length > 4096)
            {
                message = message[..4096];
            }
            if (message.Length == 0 && c.ExitCode != 0 && SpecOf(pod, c.Name)?.TerminationMessagePolicy == "FallbackToLogsOnError")
            {
                message = await deps.Runtime.TailLogsAsync(c.Id, 80, cancellationToken);
                message = message.Length > 2048 ? message[^2048..] : message;
            }
            terminationMessages[c.Id] = message.Length == 0 ? null : message;
        }
    }

    private string? TerminationMessage(V1Pod pod, PodRuntimeState state, string containerId) =>
        terminationMessages.TryGetValue(containerId, out var message) ? message : null;
}
