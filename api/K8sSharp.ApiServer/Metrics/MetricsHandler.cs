using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Endpoints;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Metrics;

/// <summary>
/// Serves <c>metrics.k8s.io/v1beta1</c> nodes and pods (get and list) as metrics-server does: the Nodes or Pods that
/// exist and match the label and field selectors, each with its usage from the <see cref="MetricsStore"/>; objects
/// without usage yet are left out of lists, and a get of one is 404 (<c>podmetrics.metrics.k8s.io "ns/name" not
/// found</c>). Watches and writes are not supported (405), as upstream.
/// </summary>
internal sealed class MetricsHandler(StoreRegistry registry, MetricsStore store, TimeProvider time)
{
    public static bool Handles(RequestInfo info) => info.Group == MetricsApi.Group;

    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        var resource = (info.Version, info.Resource, info.Namespace, info.Subresource) switch
        {
            (MetricsApi.Version, "nodes", null, null) => MetricsApi.Nodes,
            (MetricsApi.Version, "pods", _, null) => MetricsApi.Pods,
            _ => throw ResourceHandler.NotFoundPath(),
        };
        if (info.Verb is not ("get" or "list"))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        var core = registry.Catalog.Find("", "v1", info.Resource)!;
        var output = Negotiation.For(context.Request, tableAllowed: true, resource);
        // No protobuf definitions are embedded for this group; JSON is every client's fallback.
        var format = output.Format == OutputFormat.Protobuf ? OutputFormat.Json : output.Format;
        var ct = context.RequestAborted;
        JsonNode body;
        if (info.Name is { } name)
        {
            var metrics = await GetAsync(core, resource, info.Namespace, name, ct);
            body = format == OutputFormat.Table ? new TableBuilder(resource, output.IncludeObject, time).Build([metrics], new JsonObject()) : metrics;
        }
        else
        {
            var items = await ListAsync(context.Request, core, resource, info.Namespace, ct);
            body = format == OutputFormat.Table
                ? new TableBuilder(resource, output.IncludeObject, time).Build(items, new JsonObject())
                : new JsonObject
                {
                    ["kind"] = resource.Kind + "List",
                    ["apiVersion"] = resource.ApiVersion,
                    ["metadata"] = new JsonObject(),
                    ["items"] = new JsonArray([.. items]),
                };
        }
        await ResponseWriter.WriteAsync(context, 200, body, format, ct);
    }

    private async Task<JsonObject> GetAsync(Api.Schema.ApiResource core, Api.Schema.ApiResource resource, string? ns, string name, CancellationToken ct)
    {
        var notFound = ApiException.NotFound(resource.Group, resource.Kind.ToLowerInvariant(), ns is null ? name : $"{ns}/{name}");
        JsonObject source;
        try
        {
            source = await registry.For(core).GetAsync(ns, name, ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            throw notFound;
        }
        return Measure([source], resource).FirstOrDefault() ?? throw notFound;
    }

    private async Task<List<JsonObject>> ListAsync(HttpRequest request, Api.Schema.ApiResource core, Api.Schema.ApiResource resource, string? ns, CancellationToken ct)
    {
        // Selectors apply to the Nodes and Pods themselves; metrics-server does not page.
        var query = ListQuery.Parse(request, core) with { Limit = 0, Continue = null, ResourceVersion = null, ResourceVersionMatch = null };
        var page = await registry.For(core).ListAsync(ns, query, ct);
        return Measure(page.Items, resource);
    }

    private List<JsonObject> Measure(IReadOnlyList<JsonObject> sources, Api.Schema.ApiResource resource)
    {
        var now = time.GetUtcNow();
        if (resource == MetricsApi.Nodes)
        {
            return [.. sources.Select(node => store.Node(node.Name()!) is { } usage ? MetricsObjects.Node(node, usage, now) : null).OfType<JsonObject>()];
        }
        var usages = store.Pods().ToDictionary(p => (p.Namespace, p.Name));
        return [.. sources
            .Select(pod => usages.TryGetValue((pod.Namespace() ?? string.Empty, pod.Name()!), out var usage) ? MetricsObjects.Pod(pod, usage, now) : null)
            .OfType<JsonObject>()];
    }
}
