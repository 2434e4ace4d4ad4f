using k8s.Models;
using K8sSharp.Kubelet.Runtime;

namespace K8sSharp.Kubelet.Status;

/// <summary>
/// Computes a pod's status from what the kubelet knows (kubelet_pods.go generateAPIPodStatus, getPhase,
/// convertToAPIContainerStatuses and the condition generators in pkg/kubelet/status). Pure: same input, same status;
/// lastTransitionTime is kept from the current status for a condition whose status did not change.
/// </summary>
internal static class PodStatusBuilder
{
    /// <summary>Condition types owned by the kubelet; any other condition in the current status is kept as it is.</summary>
    public static readonly string[] KubeletConditions = ["PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready"];

    public static V1PodStatus Build(PodStatusInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input = input with { Now = Seconds(input.Now)!.Value };
        var pod = input.Pod;
        var spec = pod.Spec;
        var hasInit = spec.InitContainers is { Count: > 0 };
        var initStatuses = (spec.InitContainers ?? []).Select(c => ContainerStatus(input, c, hasInit)).ToList();
        var statuses = spec.Containers.Select(c => ContainerStatus(input, c, hasInit)).ToList();
        var phase = input.TerminalPhase ?? PodPhases.Compute(spec, initStatuses, statuses);
        var podIp = input.PodIp;
        var old = pod.Status;
        var status = new V1PodStatus
        {
            Phase = phase,
            HostIP = input.HostIp,
            HostIPs = [new V1HostIP { Ip = input.HostIp }],
            PodIP = podIp,
            PodIPs = podIp is null ? null : [new V1PodIP { Ip = podIp }],
            StartTime = old?.StartTime ?? input.Now,
            QosClass = old?.QosClass,
            NominatedNodeName = old?.NominatedNodeName,
            InitContainerStatuses = hasInit ? initStatuses : null,
            ContainerStatuses = statuses,
        };
        status.Conditions = Conditions(input, status, initStatuses, statuses);
        return status;
    }

    private static V1ContainerStatus ContainerStatus(PodStatusInput input, V1Container spec, bool hasInit)
    {
        var latest = input.Runtime.Latest(spec.Name);
        var status = new V1ContainerStatus
        {
            Name = spec.Name,
            Image = spec.Image,
            ImageID = "",
            RestartCount = latest?.RestartCount ?? 0,
            Ready = false,
            Started = false,
        };
        var defaultWaiting = new V1ContainerStateWaiting { Reason = hasInit ? "PodInitializing" : "ContainerCreating" };
        if (latest is null)
        {
            status.State = new V1ContainerState { Waiting = Waiting(input, spec.Name) ?? defaultWaiting };
            return status;
        }
        status.ContainerID = "docker://" + latest.Id;
        status.ImageID = string.IsNullOrEmpty(latest.ImageId) ? "" : input.ImageRef(latest.ImageId);
        var previous = input.Runtime.Previous(spec.Name);
        switch (latest.State)
        {
            case ContainerRunState.Running:
                status.State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Seconds(latest.StartedAt) } };
                status.Started = input.IsStarted(latest.Id);
                status.Ready = status.Started == true && input.IsReady(latest.Id);
                status.LastState = previous is null ? null : new V1ContainerState { Terminated = Terminated(input, previous) };
                break;
            case ContainerRunState.Exited:
                var terminated = Terminated(input, latest);
                if (Waiting(input, spec.Name) is { } waiting)
                {
                    status.State = new V1ContainerState { Waiting = waiting };
                    status.LastState = new V1ContainerState { Terminated = terminated };
                }
                else
                {
                    status.State = new V1ContainerState { Terminated = terminated };
                    status.LastState = previous is null ? null : new V1ContainerState { Terminated = Terminated(input, previous) };
                }
                break;
            default:
                status.State = new V1ContainerState { Waiting = Waiting(input, spec.Name) ?? new V1ContainerStateWaiting { Reason = "ContainerCreating" } };
                break;
        }
        return status;
    }

    private static V1ContainerStateWaiting? Waiting(PodStatusInput input, string name) =>
        input.Waiting.TryGetValue(name, out var w) ? new V1ContainerStateWaiting { Reason = w.Reason, Message = string.IsNullOrEmpty(w.Message) ? null : w.Message } : null;

    private static V1ContainerStateTerminated Terminated(PodStatusInput input, RuntimeContainer c) => new()
    {
        ExitCode = (int)c.ExitCode,
        Reason = c.OomKilled ? "OOMKilled" : c.ExitCode == 0 ? "Completed" : c.State == ContainerRunState.Exited ? "Error" : "ContainerCannotRun",
        Message = input.TerminationMessage(c.Id) ?? c.Error,
        StartedAt = Seconds(c.StartedAt),
        FinishedAt = Seconds(c.FinishedAt),
        ContainerID = "docker://" + c.Id,
    };

    private static List<V1PodCondition> Conditions(PodStatusInput input, V1PodStatus status, List<V1ContainerStatus> init, List<V1ContainerStatus> containers)
    {
        var pod = input.Pod;
        var sandbox = input.Runtime.LatestSandbox;
        var networkReady = sandbox is { Running: true } && (pod.Spec.HostNetwork == true || input.PodIp is not null);
        var succeeded = status.Phase == "Succeeded";
        var incompleteInit = IncompleteInit(pod.Spec, init, containers);
        var unready = containers.Concat(init.Where((_, i) => pod.Spec.InitContainers![i].RestartPolicy == "Always"))
            .Where(s => s.Ready != true).Select(s => s.Name).ToList();
        var gatesUnready = (pod.Spec.ReadinessGates ?? [])
            .Where(g => status.Conditions?.Concat(pod.Status?.Conditions ?? []).FirstOrDefault(c => c.Type == g.ConditionType)?.Status != "True")
            .Select(g => g.ConditionType).ToList();
        var ownedByOthers = (pod.Status?.Conditions ?? []).Where(c => !KubeletConditions.Contains(c.Type)).ToList();
        if (!ownedByOthers.Any(c => c.Type == "PodScheduled"))
        {
            // A pod bound by spec.nodeName never saw a scheduler; the kubelet reports it scheduled, as upstream.
            ownedByOthers.Insert(0, new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = input.Now });
        }
        var list = new List<V1PodCondition>(ownedByOthers)
        {
            Condition(input, "PodReadyToStartContainers", networkReady, null, null),
            succeeded ? Condition(input, "Initialized", true, "PodCompleted", null)
                : Condition(input, "Initialized", incompleteInit.Count == 0, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incompleteInit)}]"),
            succeeded ? Condition(input, "ContainersReady", false, "PodCompleted", null)
                : Condition(input, "ContainersReady", unready.Count == 0, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]"),
            succeeded ? Condition(input, "Ready", false, "PodCompleted", null)
                : unready.Count > 0 ? Condition(input, "Ready", false, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]")
                : Condition(input, "Ready", gatesUnready.Count == 0, "ReadinessGatesNotReady", $"corresponding condition of pod readiness gate \"{string.Join(' ', gatesUnready)}\" does not exist."),
        };
        return list;
    }

    /// <summary>Init containers not done: regular ones not terminated with 0, sidecars not started. Once an app container ran, init is done.</summary>
    private static List<string> IncompleteInit(V1PodSpec spec, List<V1ContainerStatus> init, List<V1ContainerStatus> containers)
    {
        if (containers.Any(c => c.State?.Running is not null || c.State?.Terminated is not null || c.LastState?.Terminated is not null))
        {
            return [];
        }
        var incomplete = new List<string>();
        for (var i = 0; i < init.Count; i++)
        {
            var sidecar = spec.InitContainers![i].RestartPolicy == "Always";
            var done = sidecar ? init[i].Started == true : init[i].State?.Terminated is { ExitCode: 0 };
            if (!done)
            {
                incomplete.Add(init[i].Name);
            }
        }
        return incomplete;
    }

    /// <summary>metav1.Time has whole seconds on the wire.</summary>
    private static DateTime? Seconds(DateTime? time) =>
        time is { } t ? new DateTime(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc) : null;

    private static V1PodCondition Condition(PodStatusInput input, string type, bool ok, string? reason, string? message)
    {
        var status = ok ? "True" : "False";
        var previous = input.Pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new V1PodCondition
        {
            Type = type,
            Status = status,
            Reason = ok && reason != "PodCompleted" ? null : reason,
            Message = ok ? null : message,
            LastTransitionTime = previous?.Status == status ? previous.LastTransitionTime : input.Now,
            LastProbeTime = null,
        };
    }
}
