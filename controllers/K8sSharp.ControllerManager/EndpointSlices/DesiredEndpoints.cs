using k8s.Models;
using K8sSharp.ControllerManager.ServiceEndpoints;

namespace K8sSharp.ControllerManager.EndpointSlices;

/// <summary>The endpoints that share one set of ports; a slice holds endpoints of exactly one such set.</summary>
internal sealed record PortSet(string Key, IReadOnlyList<Discoveryv1EndpointPort> Ports, IReadOnlyList<V1Endpoint> Endpoints);

/// <summary>
/// What a Service's slices should hold (upstream reconciler.reconcile's first half, podToEndpoint, getEndpointPorts):
/// one endpoint per published pod, grouped by the ports the pod resolves (a named targetPort may resolve differently
/// per pod, or not at all). Pods on a Node that does not exist are left out (and reported) unless the Service
/// publishes not-ready addresses, as upstream does so that a dangling nodeName cannot wedge the slices.
/// </summary>
internal static class DesiredEndpoints
{
    public const string ZoneLabel = "topology.kubernetes.io/zone";

    public static (IReadOnlyList<PortSet> Sets, IReadOnlyList<string> SkippedPods) Build(
        V1Service service, IEnumerable<V1Pod> pods, Func<string, V1Node?> nodes)
    {
        var groups = new Dictionary<string, (List<Discoveryv1EndpointPort> Ports, List<V1Endpoint> Endpoints)>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        foreach (var pod in pods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (!EndpointPods.ShouldBeInEndpoints(pod, includeTerminating: true))
            {
                continue;
            }
            var node = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : nodes(pod.Spec.NodeName);
            if (node is null && !publishNotReady)
            {
                skipped.Add(pod.Metadata.Name);
                continue;
            }
            var ports = PortsOf(service, pod);
            var key = PortKey(ports);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (ports, []);
            }
            group.Endpoints.Add(ToEndpoint(service, pod, node));
        }
        return ([.. groups.Select(g => new PortSet(g.Key, g.Value.Ports, g.Value.Endpoints))], skipped);
    }

    /// <summary>
    /// The endpoint of one pod: serving = Ready (or the Service publishes not-ready addresses), terminating = being
    /// deleted, ready = serving and not terminating (always true with publishNotReadyAddresses).
    /// </summary>
    public static V1Endpoint ToEndpoint(V1Service service, V1Pod pod, V1Node? node)
    {
        var publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        var serving = publishNotReady || EndpointPods.IsReady(pod);
        var terminating = EndpointPods.IsTerminating(pod);
        return new V1Endpoint
        {
            Addresses = [EndpointPods.PodIPv4(pod)!],
            Conditions = new V1EndpointConditions { Ready = publishNotReady || (serving && !terminating), Serving = serving, Terminating = terminating },
            NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
            Zone = node?.Metadata.Labels?.TryGetValue(ZoneLabel, out var zone) == true && zone.Length > 0 ? zone : null,
            Hostname = EndpointPods.ShouldSetHostname(pod, service) ? pod.Spec!.Hostname : null,
            TargetRef = new V1ObjectReference
            {
                Kind = "Pod",
                NamespaceProperty = pod.Metadata.NamespaceProperty,
                Name = pod.Metadata.Name,
                Uid = pod.Metadata.Uid,
            },
        };
    }

    /// <summary>The Service's ports as this pod serves them, in the Service's order; ports the pod cannot resolve are left out.</summary>
    public static List<Discoveryv1EndpointPort> PortsOf(V1Service service, V1Pod pod)
    {
        var ports = new List<Discoveryv1EndpointPort>();
        foreach (var servicePort in service.Spec.Ports ?? [])
        {
            if (EndpointPods.FindPort(pod, servicePort) is { } number)
            {
                ports.Add(new Discoveryv1EndpointPort
                {
                    Name = servicePort.Name ?? string.Empty,
                    Port = number,
                    Protocol = servicePort.Protocol ?? "TCP",
                    AppProtocol = servicePort.AppProtocol,
                });
            }
        }
        return ports;
    }

    /// <summary>Identifies a set of ports (order-insensitive), for matching existing slices to desired groups.</summary>
    public static string PortKey(IEnumerable<Discoveryv1EndpointPort>? ports) =>
        string.Join(';', (ports ?? []).Select(p => $"{p.Name}/{p.Protocol ?? "TCP"}/{p.Port}/{p.AppProtocol}").Order(StringComparer.Ordinal));
}
