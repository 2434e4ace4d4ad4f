using k8s.Models;

namespace K8sSharp.Proxy.Model;

/// <summary>
/// Turns the informers' Services and EndpointSlices into the proxier's input (upstream's service change tracker and
/// endpoint-slice cache, rebuilt whole on each sync instead of diffed): one <see cref="ProxiedServicePort"/> per port
/// of every IPv4 service with a cluster IP, with the endpoints of every slice labelled with the service's name, in a
/// stable order so that equal inputs give byte-equal rules.
/// </summary>
internal static class ServiceModel
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>The default of sessionAffinityConfig.clientIP.timeoutSeconds (3 hours), as upstream.</summary>
    public const int DefaultAffinitySeconds = 10800;

    public static IReadOnlyList<ProxiedServicePort> Build(IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(services);
        var endpoints = EndpointsByPort(slices);
        var ports = new List<ProxiedServicePort>();
        foreach (var service in services.Where(IsProxied))
        {
            foreach (var port in service.Spec.Ports ?? [])
            {
                var name = new ServicePortName(service.Metadata.NamespaceProperty ?? string.Empty, service.Metadata.Name, port.Name ?? string.Empty, Protocol(port.Protocol));
                ports.Add(ToPort(service, port, name, endpoints.GetValueOrDefault(name) ?? []));
            }
        }
        return [.. ports.OrderBy(p => p.Name.ToString(), StringComparer.Ordinal).ThenBy(p => p.Protocol, StringComparer.Ordinal)];
    }

    /// <summary>Services the proxier programs: a real IPv4 cluster IP (not headless, not ExternalName).</summary>
    public static bool IsProxied(V1Service service) =>
        service.Spec is { } spec
        && spec.Type != "ExternalName"
        && !string.IsNullOrEmpty(spec.ClusterIP)
        && spec.ClusterIP != "None"
        && !spec.ClusterIP.Contains(':', StringComparison.Ordinal);

    /// <summary>The IPv4 ingress IPs of a load balancer whose ipMode is VIP (the default when unset).</summary>
    private static List<string> LoadBalancerIps(V1Service service) =>
        [.. (service.Status?.LoadBalancer?.Ingress ?? [])
            .Where(i => i.IpMode is null or "VIP" && !string.IsNullOrEmpty(i.Ip) && IsIpv4(i.Ip))
            .Select(i => i.Ip)];

    private static bool IsIpv4(string ip) => !ip.Contains(':', StringComparison.Ordinal);

    public static string Protocol(string? protocol) => (protocol ?? "TCP").ToLowerInvariant();

    private static ProxiedServicePort ToPort(V1Service service, V1ServicePort port, ServicePortName name, List<ServiceEndpoint> endpoints)
    {
        var spec = service.Spec;
        return new ProxiedServicePort
        {
            Name = name,
            ClusterIp = spec.ClusterIP,
            Port = port.Port,
            NodePort = spec.Type is "NodePort" or "LoadBalancer" ? port.NodePort ?? 0 : 0,
            ExternalIps = [.. (spec.ExternalIPs ?? []).Where(IsIpv4)],
            LoadBalancerIps = spec.Type == "LoadBalancer" ? LoadBalancerIps(service) : [],
            LoadBalancerSourceRanges = SourceRanges.Ipv4(spec.LoadBalancerSourceRanges),
            AffinitySeconds = spec.SessionAffinity == "ClientIP"
                ? spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? DefaultAffinitySeconds
                : null,
            InternalPolicyLocal = spec.InternalTrafficPolicy == "Local",
            ExternalTrafficLocal = spec.ExternalTrafficPolicy == "Local",
            HealthCheckNodePort = spec.Type == "LoadBalancer" && spec.ExternalTrafficPolicy == "Local" ? spec.HealthCheckNodePort ?? 0 : 0,
            Endpoints = [.. endpoints.OrderBy(e => e.ToString(), StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// Endpoints of every IPv4 slice, grouped by the service port they serve (slice port name and protocol). An address
    /// listed by more than one slice counts once, preferring a ready copy (as the endpoint-slice cache does).
    /// </summary>
    public static Dictionary<ServicePortName, List<ServiceEndpoint>> EndpointsByPort(IEnumerable<V1EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var result = new Dictionary<ServicePortName, List<ServiceEndpoint>>();
        foreach (var slice in slices.Where(s => s.AddressType == "IPv4"))
        {
            if (slice.Metadata.Labels?.TryGetValue(ServiceNameLabel, out var serviceName) != true || string.IsNullOrEmpty(serviceName))
            {
                continue;
            }
            foreach (var port in slice.Ports ?? [])
            {
                if (port.Port is not { } number)
                {
                    continue;
                }
                var name = new ServicePortName(slice.Metadata.NamespaceProperty ?? string.Empty, serviceName, port.Name ?? string.Empty, Protocol(port.Protocol));
                if (!result.TryGetValue(name, out var list))
                {
                    result[name] = list = [];
                }
                foreach (var endpoint in (slice.Endpoints ?? []).Where(e => e.Addresses is { Count: > 0 }))
                {
                    Add(list, ToEndpoint(endpoint, number));
                }
            }
        }
        return result;
    }

    private static ServiceEndpoint ToEndpoint(V1Endpoint endpoint, int port)
    {
        var ready = endpoint.Conditions?.Ready ?? true;
        return new ServiceEndpoint(
            endpoint.Addresses[0],
            port,
            ready,
            endpoint.Conditions?.Serving ?? ready,
            endpoint.Conditions?.Terminating ?? false,
            endpoint.NodeName,
            endpoint.Hostname);
    }

    private static void Add(List<ServiceEndpoint> list, ServiceEndpoint endpoint)
    {
        var index = list.FindIndex(e => e.Ip == endpoint.Ip && e.Port == endpoint.Port);
        if (index < 0)
        {
            list.Add(endpoint);
        }
        else if (endpoint.Ready && !list[index].Ready)
        {
            list[index] = endpoint;
        }
    }
}
