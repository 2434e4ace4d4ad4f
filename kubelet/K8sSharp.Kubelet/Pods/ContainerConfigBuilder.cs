using System.Globalization;
using Docker.DotNet.Models;
using k8s.Models;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Volumes;

namespace K8sSharp.Kubelet.Pods;

/// <summary>Everything a container's docker configuration depends on besides the pod spec.</summary>
internal sealed record ContainerContext
{
    public required V1Pod Pod { get; init; }

    public required V1Container Container { get; init; }

    public required string NodeName { get; init; }

    public required string SandboxId { get; init; }

    public required int RestartCount { get; init; }

    public required IReadOnlyList<(string Name, string Value)> Env { get; init; }

    public required IReadOnlyDictionary<string, MountSource> Volumes { get; init; }

    public required PodPaths Paths { get; init; }
}

/// <summary>
/// Turns a pod's containers into docker create requests the way the dockershim did (docker_container.go,
/// docker_sandbox.go): the sandbox is a pause container with network mode none (or host) and a shareable IPC
/// namespace; app containers join its network and IPC (and PID with shareProcessNamespace), get the pod's
/// /etc/hosts and /etc/resolv.conf and a termination-message file bind-mounted, their volumes as binds,
/// resources as CPU shares/quota and a memory limit, and the securityContext as user, privileges and capabilities.
/// Names and labels follow the dockershim so a restarted kubelet adopts what it finds.
/// </summary>
internal static class ContainerConfigBuilder
{
    public const string PauseImage = "registry.k8s.io/pause:3.10";
    private const long CpuPeriod = 100_000;

    public static CreateContainerParameters Sandbox(V1Pod pod, string nodeName, int attempt, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var meta = pod.Metadata;
        var labels = ContainerLabels.ForPod(nodeName, meta.Name, meta.NamespaceProperty, meta.Uid, ContainerLabels.TypeSandbox, ContainerLabels.SandboxContainerName);
        labels[ContainerLabels.SandboxAttempt] = attempt.ToString(CultureInfo.InvariantCulture);
        var hostNetwork = pod.Spec.HostNetwork == true;
        return new CreateContainerParameters
        {
            Name = ContainerLabels.SandboxDockerName(meta.Name, meta.NamespaceProperty, meta.Uid, attempt),
            Image = PauseImage,
            Hostname = hostNetwork ? null : DnsFiles.PodHostname(pod, clusterDomain).Hostname,
            Labels = labels,
            HostConfig = new HostConfig
            {
                NetworkMode = hostNetwork ? "host" : "none",
                IpcMode = pod.Spec.HostIPC == true ? "host" : "shareable",
                PidMode = pod.Spec.HostPID == true ? "host" : null,
                CPUShares = 2,
            },
        };
    }

    public static CreateContainerParameters Container(ContainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pod = context.Pod;
        var container = context.Container;
        var meta = pod.Metadata;
        var labels = ContainerLabels.ForPod(context.NodeName, meta.Name, meta.NamespaceProperty, meta.Uid, ContainerLabels.TypeContainer, container.Name);
        labels[ContainerLabels.RestartCount] = context.RestartCount.ToString(CultureInfo.InvariantCulture);
        labels[ContainerLabels.SandboxId] = context.SandboxId;
        var env = context.Env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        string Expand(string s) => Expansion.Expand(s, name => env.GetValueOrDefault(name));
        var hasCommand = container.Command is { Count: > 0 };
        var parameters = new CreateContainerParameters
        {
            Name = ContainerLabels.ContainerDockerName(container.Name, meta.Name, meta.NamespaceProperty, meta.Uid, context.RestartCount),
            Image = container.Image,
            Labels = labels,
            Env = [.. context.Env.Select(e => $"{e.Name}={e.Value}")],
            Entrypoint = hasCommand ? [.. container.Command.Select(Expand)] : null,
            Cmd = container.Args is { Count: > 0 } ? [.. container.Args.Select(Expand)] : hasCommand ? [] : null,
            WorkingDir = string.IsNullOrEmpty(container.WorkingDir) ? null : container.WorkingDir,
            Tty = container.Tty == true,
            OpenStdin = container.Stdin == true,
            StdinOnce = container.StdinOnce == true,
            AttachStdin = container.Stdin == true,
            User = User(pod.Spec.SecurityContext, container.SecurityContext),
            HostConfig = HostConfig(context),
        };
        return parameters;
    }

    private static HostConfig HostConfig(ContainerContext context)
    {
        var pod = context.Pod;
        var container = context.Container;
        var security = container.SecurityContext;
        var sandbox = "container:" + context.SandboxId;
        var binds = Binds(context);
        var host = new HostConfig
        {
            NetworkMode = sandbox,
            IpcMode = sandbox,
            PidMode = pod.Spec.HostPID == true ? "host" : pod.Spec.ShareProcessNamespace == true ? sandbox : null,
            Binds = binds,
            Privileged = security?.Privileged == true,
            CapAdd = security?.Capabilities?.Add?.ToList(),
            CapDrop = security?.Capabilities?.Drop?.ToList(),
            ReadonlyRootfs = security?.ReadOnlyRootFilesystem == true,
            SecurityOpt = security?.AllowPrivilegeEscalation == false ? ["no-new-privileges"] : null,
            GroupAdd = SupplementalGroups(pod.Spec.SecurityContext),
        };
        ApplyResources(host, container.Resources);
        return host;
    }

    /// <summary>CPU request → shares (milli·1024/1000, at least 2), CPU limit → CFS quota over a 100 ms period, memory limit → bytes.</summary>
    public static void ApplyResources(HostConfig host, V1ResourceRequirements? resources)
    {
        ArgumentNullException.ThrowIfNull(host);
        var requestMilli = MilliCpu(resources?.Requests) ?? MilliCpu(resources?.Limits) ?? 0;
        host.CPUShares = Math.Max(2, requestMilli * 1024 / 1000);
        if (MilliCpu(resources?.Limits) is { } limitMilli)
        {
            host.CPUPeriod = CpuPeriod;
            host.CPUQuota = Math.Max(1000, limitMilli * CpuPeriod / 1000);
        }
        if (resources?.Limits?.TryGetValue("memory", out var memory) == true)
        {
            host.Memory = (long)memory.ToDecimal();
        }
    }

    private static long? MilliCpu(IDictionary<string, ResourceQuantity>? list) =>
        list?.TryGetValue("cpu", out var cpu) == true ? (long)Math.Ceiling(cpu.ToDecimal() * 1000) : null;

    private static string? User(V1PodSecurityContext? pod, V1SecurityContext? container)
    {
        var user = container?.RunAsUser ?? pod?.RunAsUser;
        var group = container?.RunAsGroup ?? pod?.RunAsGroup;
        if (user is null)
        {
            return null;
        }
        return group is null ? user.Value.ToString(CultureInfo.InvariantCulture) : $"{user.Value}:{group.Value}";
    }

    private static List<string>? SupplementalGroups(V1PodSecurityContext? pod)
    {
        var groups = (pod?.SupplementalGroups ?? []).Select(g => (long?)g).Append(pod?.FsGroup).OfType<long>().Distinct()
            .Select(g => g.ToString(CultureInfo.InvariantCulture)).ToList();
        return groups.Count == 0 ? null : groups;
    }

    /// <summary>Binds "host:container[:ro]" for the container's volumeMounts plus the pod's managed files.</summary>
    private static List<string> Binds(ContainerContext context)
    {
        var pod = context.Pod;
        var container = context.Container;
        var uid = pod.Metadata.Uid;
        var binds = new List<string>();
        var mounts = container.VolumeMounts ?? [];
        foreach (var mount in mounts)
        {
            if (!context.Volumes.TryGetValue(mount.Name, out var source))
            {
                throw new ContainerConfigException($"cannot find volume \"{mount.Name}\" to mount into container \"{container.Name}\"");
            }
            var hostPath = source.HostPath;
            var subPath = mount.SubPath ?? (mount.SubPathExpr is { } expr ? Expansion.Expand(expr, name => context.Env.FirstOrDefault(e => e.Name == name).Value) : null);
            if (!string.IsNullOrEmpty(subPath))
            {
                if (Path.IsPathRooted(subPath) || subPath.Split('/').Contains(".."))
                {
                    throw new ContainerConfigException($"invalid subPath \"{subPath}\": must be a relative path without '..'");
                }
                hostPath = Path.Combine(hostPath, subPath);
                if (!File.Exists(hostPath) && !Directory.Exists(hostPath))
                {
                    Directory.CreateDirectory(hostPath);
                }
            }
            var readOnly = mount.ReadOnlyProperty == true || source.ReadOnly;
            binds.Add($"{hostPath}:{mount.MountPath}{(readOnly ? ":ro" : "")}");
        }
        bool Mounted(string path) => mounts.Any(m => m.MountPath.TrimEnd('/') == path);
        if (pod.Spec.HostNetwork != true && !Mounted("/etc/hosts"))
        {
            binds.Add($"{context.Paths.EtcHosts(uid)}:/etc/hosts");
        }
        if (!Mounted("/etc/resolv.conf"))
        {
            binds.Add($"{context.Paths.ResolvConf(uid)}:/etc/resolv.conf");
        }
        var terminationPath = string.IsNullOrEmpty(container.TerminationMessagePath) ? "/dev/termination-log" : container.TerminationMessagePath;
        binds.Add($"{context.Paths.TerminationMessageFile(uid, container.Name, context.RestartCount)}:{terminationPath}");
        return binds;
    }
}
