using System.Globalization;
using k8s.Models;

namespace K8sSharp.Kubelet.Pods;

/// <summary>
/// The Docker-links style variables for Services (pkg/kubelet/envvars): for each Service with a cluster IP,
/// NAME_SERVICE_HOST, NAME_SERVICE_PORT[_PORTNAME], NAME_PORT and NAME_PORT_&lt;port&gt;_&lt;PROTO&gt;[_PROTO|_PORT|_ADDR].
/// The pod's namespace contributes only with enableServiceLinks; default/kubernetes always does.
/// </summary>
internal static class ServiceEnv
{
    public static List<(string Name, string Value)> For(V1Pod pod, IReadOnlyList<V1Service> services)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(services);
        var chosen = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        var ns = pod.Metadata.NamespaceProperty;
        var links = pod.Spec.EnableServiceLinks ?? true;
        foreach (var service in services.Where(HasClusterIp).OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            var inPodNamespace = service.Metadata.NamespaceProperty == ns;
            if (inPodNamespace && links)
            {
                chosen[service.Metadata.Name] = service;
            }
            else if (service.Metadata.NamespaceProperty == "default" && service.Metadata.Name == "kubernetes")
            {
                chosen.TryAdd(service.Metadata.Name, service);
            }
        }
        var result = new List<(string, string)>();
        foreach (var service in chosen.Values.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            result.AddRange(Variables(service));
        }
        return result;
    }

    private static bool HasClusterIp(V1Service service) =>
        !string.IsNullOrEmpty(service.Spec?.ClusterIP) && service.Spec.ClusterIP != "None";

    private static string EnvName(string name) => name.ToUpperInvariant().Replace('-', '_');

    private static IEnumerable<(string, string)> Variables(V1Service service)
    {
        var prefix = EnvName(service.Metadata.Name);
        var ip = service.Spec.ClusterIP;
        var ports = service.Spec.Ports ?? [];
        yield return ($"{prefix}_SERVICE_HOST", ip);
        if (ports.Count == 0)
        {
            yield break;
        }
        yield return ($"{prefix}_SERVICE_PORT", Str(ports[0].Port));
        foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
        {
            yield return ($"{prefix}_SERVICE_PORT_{EnvName(port.Name)}", Str(port.Port));
        }
        var first = ports[0];
        yield return ($"{prefix}_PORT", $"{(first.Protocol ?? "TCP").ToLowerInvariant()}://{ip}:{Str(first.Port)}");
        foreach (var port in ports)
        {
            var protocol = port.Protocol ?? "TCP";
            var name = $"{prefix}_PORT_{Str(port.Port)}_{protocol.ToUpperInvariant()}";
            yield return (name, $"{protocol.ToLowerInvariant()}://{ip}:{Str(port.Port)}");
            yield return (name + "_PROTO", protocol.ToLowerInvariant());
            yield return (name + "_PORT", Str(port.Port));
            yield return (name + "_ADDR", ip);
        }
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
