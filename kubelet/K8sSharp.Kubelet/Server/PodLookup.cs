using k8s.Models;
using K8sSharp.Kubelet.Runtime;

namespace K8sSharp.Kubelet.Server;

/// <summary>What a request for one container of a pod resolved to.</summary>
internal sealed record ContainerTarget(V1Pod Pod, string ContainerName, RuntimeContainer? Container);

/// <summary>
/// Resolves <c>{ns}/{pod}/{container}</c> the way upstream's server does before it streams: the pod must be one of this
/// node's (404 <c>pod "x" does not exist</c>) and name the container (404 <c>container "c" not found in pod "x"</c>);
/// the runtime container is the newest one of that name for the pod's uid, or with <c>previous</c> the one before.
/// </summary>
internal sealed class PodLookup(INodePods pods, IContainerRuntime runtime)
{
    public INodePods Pods => pods;

    /// <summary>The target, or the error message and status code to answer with.</summary>
    public async Task<(ContainerTarget? Target, int Code, string Error)> FindAsync(string ns, string podName, string containerName, bool previous, CancellationToken cancellationToken)
    {
        var pod = pods.Get(ns, podName);
        if (pod is null)
        {
            return (null, 404, $"pod \"{podName}\" does not exist");
        }
        if (!SpecNames(pod).Contains(containerName))
        {
            return (null, 404, $"container \"{containerName}\" not found in pod \"{podName}\"");
        }
        var state = await runtime.GetPodAsync(pod.Metadata.Uid, cancellationToken);
        var container = previous ? state.Previous(containerName) : state.Latest(containerName);
        return (new ContainerTarget(pod, containerName, container), 200, "");
    }

    private static IEnumerable<string> SpecNames(V1Pod pod) =>
        (pod.Spec.Containers ?? []).Select(c => c.Name)
            .Concat((pod.Spec.InitContainers ?? []).Select(c => c.Name))
            .Concat((pod.Spec.EphemeralContainers ?? []).Select(c => c.Name));
}
