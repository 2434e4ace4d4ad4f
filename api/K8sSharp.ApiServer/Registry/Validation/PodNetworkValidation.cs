using System.Net;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// Upstream's <c>validatePodDNSConfig</c> (dnsPolicy None needs a dnsConfig with a nameserver; at most 3 nameservers,
/// each an IP) and <c>validateHostNetwork</c> (with hostNetwork every hostPort equals its containerPort).
/// </summary>
internal static class PodNetworkValidation
{
    public static IEnumerable<StatusCause> Validate(JsonObject spec, string path) =>
        DnsConfig(spec, $"{path}.dnsConfig").Concat(HostNetwork(spec, path));

    private static IEnumerable<StatusCause> DnsConfig(JsonObject spec, string path)
    {
        var config = spec["dnsConfig"] as JsonObject;
        var nameservers = config?["nameservers"] as JsonArray ?? [];
        if (spec.GetString("dnsPolicy") == "None")
        {
            if (config is null)
            {
                yield return Required(path, "must provide `dnsConfig` when `dnsPolicy` is None");
                yield break;
            }
            if (nameservers.Count == 0)
            {
                yield return Required($"{path}.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None");
            }
        }
        if (nameservers.Count > 3)
        {
            yield return Invalid($"{path}.nameservers", nameservers, "must not have more than 3 nameservers");
        }
        for (var i = 0; i < nameservers.Count; i++)
        {
            if (!IPAddress.TryParse(nameservers[i]?.ToString() ?? "", out _))
            {
                yield return Invalid($"{path}.nameservers[{i}]", nameservers[i], "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }
    }

    private static IEnumerable<StatusCause> HostNetwork(JsonObject spec, string path)
    {
        if (spec["hostNetwork"] is not JsonValue host || !host.TryGetValue<bool>(out var on) || !on)
        {
            yield break;
        }
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var (container, containerPath) in SchedulingValidation.Indexed(spec[list], $"{path}.{list}"))
            {
                foreach (var (port, portPath) in SchedulingValidation.Indexed(container["ports"], $"{containerPath}.ports"))
                {
                    if (port["hostPort"] is { } hostPort && !JsonNode.DeepEquals(hostPort, port["containerPort"]))
                    {
                        yield return Invalid($"{portPath}.containerPort", port["containerPort"], "must match `hostPort` when `hostNetwork` is true");
                    }
                }
            }
        }
    }
}
