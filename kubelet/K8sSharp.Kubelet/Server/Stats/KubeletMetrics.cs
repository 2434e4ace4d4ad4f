using K8sSharp.Kubelet.Runtime;
using Prometheus;

namespace K8sSharp.Kubelet.Server.Stats;

/// <summary>
/// <c>/metrics</c> (prometheus-net, a registry of its own): upstream's <c>kubelet_node_name</c>,
/// <c>kubelet_running_pods</c> (pods with a running sandbox) and <c>kubelet_running_containers</c> by
/// <c>container_state</c>, computed from the runtime at each scrape.
/// </summary>
internal sealed class KubeletMetrics
{
    private readonly IContainerRuntime runtime;
    private readonly Gauge runningPods;
    private readonly Gauge containers;

    public KubeletMetrics(IContainerRuntime runtime, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.runtime = runtime;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        factory.CreateGauge("kubelet_node_name", "The node's name. The count is always 1.", "node").WithLabels(settings.NodeName).Set(1);
        runningPods = factory.CreateGauge("kubelet_running_pods", "Number of pods that have a running pod sandbox");
        containers = factory.CreateGauge("kubelet_running_containers", "Number of containers currently running", "container_state");
        Registry.AddBeforeCollectCallback(UpdateAsync);
    }

    public CollectorRegistry Registry { get; }

    private async Task UpdateAsync(CancellationToken cancellationToken)
    {
        var sandboxes = 0;
        var byState = Enum.GetValues<ContainerRunState>().ToDictionary(s => s, _ => 0);
        foreach (var (uid, _, _) in await runtime.ListPodsAsync(cancellationToken))
        {
            var state = await runtime.GetPodAsync(uid, cancellationToken);
            sandboxes += state.Sandboxes.Any(s => s.Running) ? 1 : 0;
            foreach (var container in state.Containers)
            {
                byState[container.State]++;
            }
        }
        runningPods.Set(sandboxes);
        foreach (var (state, count) in byState)
        {
            containers.WithLabels(state.ToString().ToLowerInvariant()).Set(count);
        }
    }
}
