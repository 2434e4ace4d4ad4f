using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>Picks a ready endpoint of a Service for <c>services/proxy</c>, from its EndpointSlices, at random as upstream does.</summary>
internal static class ServiceEndpoints
{
    public static async Task<(string Address, int Port)?> PickAsync(StoreRegistry registry, string ns, JsonObject service, string? portName, CancellationToken ct)
    {
        var servicePort = ServicePort(service, portName);
        var slices = registry.For(registry.Catalog.Find("discovery.k8s.io", "v1", "endpointslices")!);
        var serviceName = (string?)service["metadata"]?["name"];
        var page = await slices.ListAsync(ns, new ListRequest(Filter: s => (string?)s["metadata"]?["labels"]?["kubernetes.io/service-name"] == serviceName), ct);
        var candidates = page.Items
            .SelectMany(s => SlicePort(s, servicePort) is { } port ? ReadyAddresses(s).Select(a => (a, port)) : [])
            .ToList();
        return candidates.Count == 0 ? null : candidates[Random.Shared.Next(candidates.Count)];
    }

    private static JsonObject ServicePort(JsonObject service, string? portName)
    {
        var ports = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return (portName is null ? ports.FirstOrDefault() : ports.FirstOrDefault(p => (string?)p["name"] == portName || p["port"]?.ToString() == portName))
            ?? throw ApiException.BadRequest($"no service port \"{portName}\" found for service \"{(string?)service["metadata"]?["name"]}\"");
    }

    private static IEnumerable<string> ReadyAddresses(JsonObject slice) =>
        (slice["endpoints"] as JsonArray ?? [])
            .Where(e => (bool?)e?["conditions"]?["ready"] ?? true)
            .SelectMany(e => (e?["addresses"] as JsonArray ?? []).Select(a => (string?)a).OfType<string>());

    private static int? SlicePort(JsonObject slice, JsonObject servicePort)
    {
        var name = (string?)servicePort["name"] ?? string.Empty;
        return (slice["ports"] as JsonArray ?? []).Where(p => ((string?)p?["name"] ?? string.Empty) == name).Select(p => (int?)p?["port"]).FirstOrDefault();
    }
}
