using k8s.Models;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// The pods of a target sorted as upstream's groupPods does before a usage ratio is computed: ignored (deleted or
/// Failed), unready (Pending, or for CPU not yet trustworthy), missing (no metric) and ready (counted).
/// </summary>
internal sealed record PodGroups(int ReadyCount, IReadOnlySet<string> Unready, IReadOnlySet<string> Missing, IReadOnlySet<string> Ignored)
{
    /// <summary>
    /// For CPU, a pod without a Ready condition or start time is unready; within <paramref name="cpuInitializationPeriod"/>
    /// of its start it is unready while not Ready or while its sample's window began before it last became (un)ready;
    /// after that only a pod that is not Ready and never was since <paramref name="initialReadinessDelay"/> after start.
    /// </summary>
    public static PodGroups Of(IEnumerable<V1Pod> pods, IReadOnlyDictionary<string, PodMetric> metrics, string resource,
        TimeSpan cpuInitializationPeriod, TimeSpan initialReadinessDelay, DateTimeOffset now)
    {
        var ready = 0;
        var unready = new HashSet<string>();
        var missing = new HashSet<string>();
        var ignored = new HashSet<string>();
        foreach (var pod in pods)
        {
            var name = pod.Metadata.Name;
            var phase = pod.Status?.Phase;
            if (pod.Metadata.DeletionTimestamp is not null || phase == "Failed")
            {
                ignored.Add(name);
            }
            else if (phase == "Pending")
            {
                unready.Add(name);
            }
            else if (!metrics.TryGetValue(name, out var metric))
            {
                missing.Add(name);
            }
            else if (resource == "cpu" && CpuUnready(pod, metric, cpuInitializationPeriod, initialReadinessDelay, now))
            {
                unready.Add(name);
            }
            else
            {
                ready++;
            }
        }
        return new PodGroups(ready, unready, missing, ignored);
    }

    private static bool CpuUnready(V1Pod pod, PodMetric metric, TimeSpan cpuInitializationPeriod, TimeSpan initialReadinessDelay, DateTimeOffset now)
    {
        var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (condition is null || pod.Status?.StartTime is not { } started)
        {
            return true;
        }
        var start = new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc));
        var transition = condition.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
        if (start + cpuInitializationPeriod > now)
        {
            return condition.Status == "False" || metric.Timestamp < transition + metric.Window;
        }
        return condition.Status == "False" && start + initialReadinessDelay > transition;
    }

    /// <summary>
    /// Sum of the requests for <paramref name="resource"/> of each pod's containers (and restartable init containers),
    /// in milli-units. Throws with upstream's message when a container has no request for it.
    /// </summary>
    public static Dictionary<string, long> Requests(IEnumerable<V1Pod> pods, string resource)
    {
        var requests = new Dictionary<string, long>();
        foreach (var pod in pods)
        {
            long sum = 0;
            var sidecars = pod.Spec.InitContainers?.Where(c => c.RestartPolicy == "Always") ?? [];
            foreach (var container in pod.Spec.Containers.Concat(sidecars))
            {
                ResourceQuantity? request = null;
                if (container.Resources?.Requests is not { } containerRequests || !containerRequests.TryGetValue(resource, out request))
                {
                    throw new MetricsUnavailableException($"missing request for {resource} in container {container.Name} of Pod {pod.Metadata.Name}");
                }
                sum += Quantities.MilliValue(request);
            }
            requests[pod.Metadata.Name] = sum;
        }
        return requests;
    }
}
