namespace K8sSharp.Kubelet.Runtime;

/// <summary>
/// Finds a pod's containers on this node by the dockershim labels: what the kubelet's logs/exec/attach server needs
/// to turn (namespace, pod, container) into a docker container id.
/// </summary>
internal sealed class PodContainers(DockerRuntime runtime)
{
    /// <summary>
    /// The newest container named <paramref name="container"/> of the pod (or, with <paramref name="previous"/>, the
    /// one before it), or null. When <paramref name="container"/> is null the pod must have exactly one container.
    /// </summary>
    public async Task<PodContainerRef?> FindAsync(string ns, string pod, string? container, bool previous, CancellationToken cancellationToken)
    {
        var uids = (await runtime.ListPodsAsync(cancellationToken)).Where(p => p.Namespace == ns && p.Name == pod).Select(p => p.Uid).ToList();
        foreach (var uid in uids)
        {
            var state = await runtime.GetPodAsync(uid, cancellationToken);
            var names = state.Containers.Select(c => c.Name).Distinct().ToList();
            var name = container ?? (names.Count == 1 ? names[0] : null);
            if (name is null)
            {
                continue;
            }
            var found = previous ? state.Previous(name) : state.Latest(name);
            if (found is not null)
            {
                return new PodContainerRef(ns, pod, uid, name, found.Id, found.RestartCount, found.Running);
            }
        }
        return null;
    }
}
