using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>
/// The "connect" subresources, which the API server serves by proxying rather than from storage (upstream's
/// <c>pkg/registry/core/{pod,node,service}/rest</c>): <c>pods/log|exec|attach|portforward</c> go to the kubelet of the
/// pod's node, <c>nodes/proxy</c> to a kubelet, <c>pods/proxy</c> and <c>services/proxy</c> to a pod's address.
/// Where a request goes is decided here; how its bytes travel is <see cref="UpgradeProxy"/>'s or
/// <see cref="StreamingProxy"/>'s job.
/// </summary>
internal sealed class ConnectHandler(StoreRegistry registry, BackendTransport transport)
{
    public static bool Handles(string resource, string subresource) => (resource, subresource) switch
    {
        ("pods", "log" or "exec" or "attach" or "portforward" or "proxy") => true,
        ("nodes" or "services", "proxy") => true,
        _ => false,
    };

    public async Task HandleAsync(HttpContext context, RequestInfo info, CancellationToken ct)
    {
        var target = (info.Resource, info.Subresource) switch
        {
            ("pods", "proxy") => await PodProxyTargetAsync(context, info, ct),
            ("pods", _) => await KubeletPodTargetAsync(context.Request.Query, info, ct),
            ("nodes", _) => await NodeProxyTargetAsync(context, info, ct),
            _ => await ServiceProxyTargetAsync(context, info, ct),
        };
        if (target is null)
        {
            // Upstream streams nothing for the logs of a pod that has no node yet.
            context.Response.ContentType = "text/plain";
            return;
        }
        try
        {
            await (UpgradeProxy.IsUpgrade(context)
                ? UpgradeProxy.ProxyAsync(context, transport, target, ct)
                : StreamingProxy.ProxyAsync(context, transport, target, ct));
        }
        catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException
            && !context.Response.HasStarted)
        {
            throw new ApiException(503, "ServiceUnavailable", $"error trying to reach service: {e.Message}");
        }
    }

    private async Task<Uri?> KubeletPodTargetAsync(IQueryCollection query, RequestInfo info, CancellationToken ct)
    {
        var pod = await GetAsync("pods", info.Namespace, info.Name!, ct);
        var nodeName = (string?)pod["spec"]?["nodeName"];
        if (string.IsNullOrEmpty(nodeName))
        {
            return info.Subresource == "log"
                ? null
                : throw ApiException.BadRequest($"pod {info.Name} does not have a host assigned");
        }
        var kubelet = await KubeletBaseAsync(nodeName, null, ct);
        var ns = Uri.EscapeDataString(info.Namespace!);
        var name = Uri.EscapeDataString(info.Name!);
        if (info.Subresource == "portforward")
        {
            return new Uri(kubelet, $"/portForward/{ns}/{name}{QueryString.Create(query.Where(p => p.Key == "ports"))}");
        }
        var container = Uri.EscapeDataString(ContainerOf(pod, query["container"].ToString()));
        return info.Subresource == "log"
            ? new Uri(kubelet, $"/containerLogs/{ns}/{name}/{container}{KubeletQuery.Logs(query)}")
            : new Uri(kubelet, $"/{info.Subresource}/{ns}/{name}/{container}{KubeletQuery.Stream(query)}");
    }

    /// <summary>The named container, or the only one; upstream's messages when that is ambiguous or wrong.</summary>
    internal static string ContainerOf(JsonObject pod, string requested)
    {
        var spec = pod["spec"]!;
        var containers = Names(spec["containers"]);
        var others = Names(spec["initContainers"]).Concat(Names(spec["ephemeralContainers"])).ToList();
        var podName = (string?)pod["metadata"]?["name"];
        if (requested.Length == 0)
        {
            return containers.Count == 1
                ? containers[0]
                : throw ApiException.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', containers)}]");
        }
        return containers.Contains(requested) || others.Contains(requested)
            ? requested
            : throw ApiException.BadRequest($"container {requested} is not valid for pod {podName}");
    }

    private static List<string> Names(JsonNode? list) =>
        list is JsonArray array ? [.. array.Select(c => (string?)c?["name"]).OfType<string>()] : [];

    private async Task<Uri> NodeProxyTargetAsync(HttpContext context, RequestInfo info, CancellationToken ct)
    {
        var (scheme, node, port) = ProxyName.Parse(info.Name!);
        var kubelet = await KubeletBaseAsync(node, port, ct);
        var builder = new UriBuilder(kubelet) { Scheme = scheme ?? kubelet.Scheme, Path = ProxyPath.After(context.Request.Path), Query = context.Request.QueryString.Value };
        return builder.Uri;
    }

    private async Task<Uri> PodProxyTargetAsync(HttpContext context, RequestInfo info, CancellationToken ct)
    {
        var (scheme, name, port) = ProxyName.Parse(info.Name!);
        var pod = await GetAsync("pods", info.Namespace, name, ct);
        var ip = (string?)pod["status"]?["podIP"];
        if (string.IsNullOrEmpty(ip))
        {
            throw new ApiException(503, "ServiceUnavailable", $"address not allowed: pod {name} has no IP address yet");
        }
        return Backend(scheme ?? "http", ip, port ?? "80", context);
    }

    private async Task<Uri> ServiceProxyTargetAsync(HttpContext context, RequestInfo info, CancellationToken ct)
    {
        var (scheme, name, portName) = ProxyName.Parse(info.Name!);
        var service = await GetAsync("services", info.Namespace, name, ct);
        var endpoint = await ServiceEndpoints.PickAsync(registry, info.Namespace!, service, portName, ct)
            ?? throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{name}\"");
        return Backend(scheme ?? "http", endpoint.Address, endpoint.Port.ToString(CultureInfo.InvariantCulture), context);
    }

    private static Uri Backend(string scheme, string host, string port, HttpContext context) =>
        new UriBuilder(scheme, host, int.Parse(port, CultureInfo.InvariantCulture), ProxyPath.After(context.Request.Path)) { Query = context.Request.QueryString.Value }.Uri;

    private async Task<Uri> KubeletBaseAsync(string nodeName, string? portOverride, CancellationToken ct) =>
        KubeletAddress.BaseOf(await GetAsync("nodes", null, nodeName, ct), portOverride);

    private Task<JsonObject> GetAsync(string resource, string? ns, string name, CancellationToken ct) =>
        registry.For(registry.Catalog.Find("", "v1", resource)!).GetAsync(ns, name, ct);
}
