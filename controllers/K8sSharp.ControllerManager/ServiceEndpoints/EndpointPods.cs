using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace K8sSharp.ControllerManager.ServiceEndpoints;

/// <summary>
/// Which pods back a Service and how (upstream pkg/controller/util/endpoint and staging endpointslice/util): the
/// inclusion rule, readiness, the IPv4 address, the hostname rule and named-targetPort resolution. Shared by the
/// EndpointSlice and Endpoints controllers so both publish the same pods the same way.
/// </summary>
internal static class EndpointPods
{
    /// <summary>
    /// A pod is published once it has an IP and until it finished (phase Succeeded/Failed, or a restartPolicy that
    /// will not restart it); a pod being deleted only when <paramref name="includeTerminating"/>.
    /// </summary>
    public static bool ShouldBeInEndpoints(V1Pod pod, bool includeTerminating)
    {
        if (IsTerminal(pod) || PodIPv4(pod) is null)
        {
            return false;
        }
        return includeTerminating || pod.Metadata.DeletionTimestamp is null;
    }

    private static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>The Ready condition is True (upstream podutil.IsPodReady).</summary>
    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    /// <summary>The pod's first IPv4 address from status.podIPs (or podIP); the clusters here are IPv4 only.</summary>
    public static string? PodIPv4(V1Pod pod)
    {
        var candidates = pod.Status?.PodIPs?.Select(p => p.Ip) ?? [];
        if (pod.Status?.PodIP is { } single)
        {
            candidates = candidates.Prepend(single);
        }
        return candidates.FirstOrDefault(ip => IPAddress.TryParse(ip, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetwork);
    }

    /// <summary>A pod with spec.hostname whose spec.subdomain names this Service (same namespace) is published under that hostname.</summary>
    public static bool ShouldSetHostname(V1Pod pod, V1Service service) =>
        !string.IsNullOrEmpty(pod.Spec?.Hostname)
        && pod.Spec.Subdomain == service.Metadata.Name
        && pod.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty;

    /// <summary>
    /// The container port a Service port's targetPort means on this pod (upstream podutil.FindPort): a number is taken
    /// as it is (unset: the Service port), a name is looked up in the pod's container ports with the same protocol;
    /// null when the pod has no such named port (the pod is then left out for that Service port).
    /// </summary>
    public static int? FindPort(V1Pod pod, V1ServicePort servicePort)
    {
        var target = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return servicePort.Port;
        }
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        var protocol = servicePort.Protocol ?? "TCP";
        return (pod.Spec?.Containers ?? [])
            .SelectMany(c => c.Ports ?? [])
            .Where(p => p.Name == target && (p.Protocol ?? "TCP") == protocol)
            .Select(p => (int?)p.ContainerPort)
            .FirstOrDefault();
    }

    /// <summary>Services the controllers act on: with a non-empty selector and not of type ExternalName; others are left to their users (manual Endpoints/slices).</summary>
    public static bool HasManagedEndpoints(V1Service service) =>
        service.Spec?.Selector is { Count: > 0 } && service.Spec.Type != "ExternalName";
}
