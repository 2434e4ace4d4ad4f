namespace K8sSharp.Proxy.Model;

/// <summary>
/// Which endpoints a service port uses (upstream's topology.CategorizeEndpoints, without topology hints): the ready
/// ones, or, when none is ready, the ones still serving while terminating (so a rolling update that has only
/// terminating pods left keeps answering). <see cref="Local"/> applies the same rule to this node's endpoints.
/// </summary>
internal sealed record EndpointSelection(IReadOnlyList<ServiceEndpoint> Cluster, IReadOnlyList<ServiceEndpoint> Local)
{
    /// <summary>Every endpoint some chain of this port jumps to, each once, in the port's order.</summary>
    public IReadOnlyList<ServiceEndpoint> AllReachable => [.. Cluster.Union(Local)];

    public static EndpointSelection For(ProxiedServicePort port, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(port);
        var cluster = port.UsesClusterEndpoints ? Usable(port.Endpoints) : [];
        var local = port.UsesLocalEndpoints
            ? Usable([.. port.Endpoints.Where(e => string.Equals(e.NodeName, nodeName, StringComparison.Ordinal))])
            : [];
        return new EndpointSelection(cluster, local);
    }

    private static List<ServiceEndpoint> Usable(IReadOnlyList<ServiceEndpoint> endpoints)
    {
        var ready = endpoints.Where(e => e.Ready).ToList();
        return ready.Count > 0 ? ready : [.. endpoints.Where(e => e.Serving && e.Terminating)];
    }
}
