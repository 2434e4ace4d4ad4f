using k8s.Models;

namespace K8sSharp.Kubelet.Status;

/// <summary>The pod phase from its container statuses (kubelet_pods.go getPhase).</summary>
internal static class PodPhases
{
    public static string Compute(V1PodSpec spec, IReadOnlyList<V1ContainerStatus> init, IReadOnlyList<V1ContainerStatus> containers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(init);
        ArgumentNullException.ThrowIfNull(containers);
        var policy = spec.RestartPolicy ?? "Always";
        var initialized = containers.Any(c => c.State?.Running is not null || c.State?.Terminated is not null || c.LastState?.Terminated is not null);
        if (!initialized)
        {
            for (var i = 0; i < init.Count; i++)
            {
                var terminated = init[i].State?.Terminated ?? init[i].LastState?.Terminated;
                var sidecar = spec.InitContainers![i].RestartPolicy == "Always";
                if (!sidecar && policy == "Never" && terminated is { ExitCode: not 0 } && init[i].State?.Terminated is not null)
                {
                    return "Failed";
                }
                if (sidecar ? init[i].Started != true : init[i].State?.Terminated is not { ExitCode: 0 })
                {
                    return "Pending";
                }
            }
        }
        int running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var status in containers)
        {
            if (status.State?.Running is not null)
            {
                running++;
            }
            else if (status.State?.Terminated is { } terminated)
            {
                stopped++;
                succeeded += terminated.ExitCode == 0 ? 1 : 0;
            }
            else if (status.LastState?.Terminated is not null)
            {
                stopped++; // waiting to restart (e.g. CrashLoopBackOff) counts as stopped, as upstream
            }
            else
            {
                waiting++;
            }
        }
        if (waiting > 0)
        {
            return "Pending";
        }
        if (running > 0)
        {
            return "Running";
        }
        if (stopped > 0)
        {
            return policy switch
            {
                "Always" => "Running",
                _ when stopped == succeeded => "Succeeded",
                "Never" => "Failed",
                _ => "Running",
            };
        }
        return "Pending";
    }
}
