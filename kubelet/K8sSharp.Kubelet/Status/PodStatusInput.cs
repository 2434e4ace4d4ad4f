using k8s.Models;
using K8sSharp.Kubelet.Runtime;

namespace K8sSharp.Kubelet.Status;

/// <summary>Why a container is waiting instead of running (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError, …).</summary>
internal sealed record WaitingReason(string Reason, string Message);

/// <summary>
/// Everything a pod's status is computed from: the pod, what the runtime holds for it, the kubelet's own decisions
/// (waiting reasons) and probe results, the addresses, and per-container extras the runtime does not keep.
/// </summary>
internal sealed record PodStatusInput
{
    public required V1Pod Pod { get; init; }

    public required PodRuntimeState Runtime { get; init; }

    public required string HostIp { get; init; }

    public string? PodIp { get; init; }

    public required DateTime Now { get; init; }

    /// <summary>Container name → why it waits (overrides what the runtime state says).</summary>
    public IReadOnlyDictionary<string, WaitingReason> Waiting { get; init; } = new Dictionary<string, WaitingReason>();

    /// <summary>Container id → readiness (absent: ready when running).</summary>
    public Func<string, bool> IsReady { get; init; } = _ => true;

    /// <summary>Container id → started (startup probe done; absent: started when running).</summary>
    public Func<string, bool> IsStarted { get; init; } = _ => true;

    /// <summary>Image id (sha256:…) → the status' imageID (docker-pullable://… or docker://…).</summary>
    public Func<string, string> ImageRef { get; init; } = id => "docker://" + id;

    /// <summary>Container id → its termination message, for terminated containers.</summary>
    public Func<string, string?> TerminationMessage { get; init; } = _ => null;

    /// <summary>The phase to report when the kubelet has decided the pod is terminal (deleted, or it ran to completion), else null.</summary>
    public string? TerminalPhase { get; init; }
}
