using System.Globalization;
using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.Health;

/// <summary>
/// What one health check node port answers (upstream's pkg/proxy/healthcheck service health server): the service, how
/// many ready endpoints it has on this node, and whether the proxy itself is healthy. 200 when both hold (a load
/// balancer then sends this node traffic), 503 otherwise.
/// </summary>
internal sealed record ServiceHealth(string Namespace, string Name, int LocalEndpoints)
{
    /// <summary>One entry per health check node port, from the ports the proxier programmed.</summary>
    public static Dictionary<int, ServiceHealth> From(IEnumerable<ProxiedServicePort> ports, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var result = new Dictionary<int, ServiceHealth>();
        foreach (var service in ports.Where(p => p.HealthCheckNodePort != 0).GroupBy(p => (p.Name.Namespace, p.Name.Name, p.HealthCheckNodePort)))
        {
            var local = service.SelectMany(p => p.Endpoints)
                .Where(e => e.Ready && string.Equals(e.NodeName, nodeName, StringComparison.Ordinal))
                .Select(e => e.Ip)
                .Distinct(StringComparer.Ordinal)
                .Count();
            result[service.Key.HealthCheckNodePort] = new ServiceHealth(service.Key.Namespace, service.Key.Name, local);
        }
        return result;
    }

    /// <summary>The status code and JSON body, as upstream writes them.</summary>
    public (int Status, string Body) Answer(bool proxyHealthy)
    {
        var healthy = LocalEndpoints > 0 && proxyHealthy;
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{{\n\t\"service\": {{\n\t\t\"namespace\": \"{Namespace}\",\n\t\t\"name\": \"{Name}\"\n\t}},\n\t\"localEndpoints\": {LocalEndpoints},\n\t\"serviceProxyHealthy\": {(proxyHealthy ? "true" : "false")}\n}}");
        return (healthy ? 200 : 503, body);
    }
}
