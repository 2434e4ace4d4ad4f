using k8s.Models;

namespace K8sSharp.Scheduler.Framework;

/// <summary>
/// A pod's effective requests (upstream's resourcehelper.PodRequests): the sum of its containers plus its restartable
/// init containers (sidecars, which keep running), raised to the largest init-container phase (each regular init
/// container runs alone beside the sidecars started before it), pod-level requests instead of the container sums for
/// cpu and memory when set, plus the RuntimeClass overhead.
/// </summary>
internal static class PodResources
{
    /// <summary>What scoring assumes a container without a cpu request uses (upstream's DefaultMilliCPURequest).</summary>
    public const long DefaultMilliCpuRequest = 100;

    /// <summary>What scoring assumes a container without a memory request uses (200 MiB, DefaultMemoryRequest).</summary>
    public const long DefaultMemoryRequest = 200L * 1024 * 1024;

    /// <summary>The requests the fit filter counts.</summary>
    public static ResourceSet Requests(V1Pod pod) => Compute(pod, nonMissing: false);

    /// <summary>The requests the scoring plugins count: missing cpu/memory requests count as the defaults above.</summary>
    public static ResourceSet NonZeroRequests(V1Pod pod) => Compute(pod, nonMissing: true);

    private static ResourceSet Compute(V1Pod pod, bool nonMissing)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ?? new V1PodSpec();
        var total = new ResourceSet();
        foreach (var container in spec.Containers ?? [])
        {
            total.Add(ContainerRequests(container, nonMissing));
        }
        var sidecars = new ResourceSet();
        var initPhase = new ResourceSet();
        foreach (var container in spec.InitContainers ?? [])
        {
            var requests = ContainerRequests(container, nonMissing);
            if (container.RestartPolicy == "Always")
            {
                total.Add(requests);
                sidecars.Add(requests);
                initPhase.SetMax(sidecars);
            }
            else
            {
                requests.Add(sidecars);
                initPhase.SetMax(requests);
            }
        }
        total.SetMax(initPhase);
        ApplyPodLevel(spec, total, nonMissing);
        total.Add(spec.Overhead);
        return total;
    }

    private static ResourceSet ContainerRequests(V1Container container, bool nonMissing)
    {
        var requests = ResourceSet.From(container.Resources?.Requests);
        if (nonMissing)
        {
            var given = container.Resources?.Requests;
            if (given is null || !given.ContainsKey(ResourceSet.CpuName))
            {
                requests.MilliCpu = DefaultMilliCpuRequest;
            }
            if (given is null || !given.ContainsKey(ResourceSet.MemoryName))
            {
                requests.Memory = DefaultMemoryRequest;
            }
        }
        return requests;
    }

    /// <summary>Pod-level requests (spec.resources) replace the container sums for cpu and memory.</summary>
    private static void ApplyPodLevel(V1PodSpec spec, ResourceSet total, bool nonMissing)
    {
        if (spec.Resources?.Requests is not { Count: > 0 } podLevel)
        {
            return;
        }
        foreach (var name in new[] { ResourceSet.CpuName, ResourceSet.MemoryName })
        {
            if (podLevel.TryGetValue(name, out var quantity))
            {
                var value = ResourceSet.ToUnits(name, quantity);
                if (nonMissing && value == 0)
                {
                    value = name == ResourceSet.CpuName ? DefaultMilliCpuRequest : DefaultMemoryRequest;
                }
                total.Set(name, value);
            }
        }
    }
}
