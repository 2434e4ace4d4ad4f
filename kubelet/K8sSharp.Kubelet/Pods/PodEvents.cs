using k8s.Models;
using K8sSharp.Client.Events;

namespace K8sSharp.Kubelet.Pods;

/// <summary>The kubelet's event reasons (pkg/kubelet/events).</summary>
internal static class Reasons
{
    public const string Pulling = "Pulling";
    public const string Pulled = "Pulled";
    public const string Failed = "Failed";
    public const string BackOff = "BackOff";
    public const string Created = "Created";
    public const string Started = "Started";
    public const string Killing = "Killing";
    public const string Unhealthy = "Unhealthy";
    public const string FailedMount = "FailedMount";
    public const string FailedCreatePodSandBox = "FailedCreatePodSandBox";
    public const string SandboxChanged = "SandboxChanged";
    public const string FailedPostStartHook = "FailedPostStartHook";
    public const string FailedPreStopHook = "FailedPreStopHook";
    public const string ErrImageNeverPull = "ErrImageNeverPull";
    public const string NodeReady = "NodeReady";
    public const string Starting = "Starting";
}

/// <summary>Where the kubelet's events about pods go (an <see cref="EventRecorder"/>; tests collect them).</summary>
internal interface IPodEvents
{
    /// <summary><paramref name="container"/> names the involved container (fieldPath spec.containers{name}); null for the pod.</summary>
    void Emit(V1Pod pod, string? container, string type, string reason, string message);
}

internal sealed class RecordedPodEvents(EventRecorder recorder) : IPodEvents
{
    public void Emit(V1Pod pod, string? container, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(pod);
        recorder.Event(pod, container is null ? null : FieldPath(pod, container), type, reason, message);
    }

    /// <summary>spec.containers{name} or spec.initContainers{name}, as upstream's container references.</summary>
    public static string FieldPath(V1Pod pod, string container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec.InitContainers?.Any(c => c.Name == container) == true
            ? $"spec.initContainers{{{container}}}"
            : $"spec.containers{{{container}}}";
    }
}
