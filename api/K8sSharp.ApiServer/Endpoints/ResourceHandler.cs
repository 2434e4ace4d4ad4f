using K8sSharp.ApiServer.Watching;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Registry.Strategies;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// Dispatches a resource request (after authentication) to the handler of its verb, the way kube-apiserver's
/// route installer wires one handler per verb and per subresource onto the generic store.
/// </summary>
internal sealed partial class ResourceHandler(StoreRegistry registry, ObjectDecoder decoder, WatchHandler watches, NamespaceDeletion namespaces, SchemaIndex schemas,
    ReviewHandler reviews, ScaleHandler scales, BindingHandler bindings, EvictionHandler evictions, TokenRequestHandler tokenRequests,
    Proxy.ConnectHandler connects, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        var ct = context.RequestAborted;
        var resource = registry.Catalog.Find(info.Group, info.Version, info.Resource) ?? throw NotFoundPath();
        if (info.Namespace is not null && !resource.Namespaced && info.Resource != "namespaces")
        {
            throw NotFoundPath();
        }
        var ns = resource.Namespaced ? info.Namespace : null;
        if (ReviewHandler.Handles(resource))
        {
            await reviews.HandleAsync(context, resource, info.Verb, ct);
            return;
        }
        if (resource is { Group: "", Name: "bindings" })
        {
            RequireVerb(resource, info.Verb);
            await bindings.HandleAsync(context, ns!, null, ct);
            return;
        }
        var store = registry.For(resource);
        if (info.Subresource is not null)
        {
            await HandleSubresourceAsync(context, info, store, ns, ct);
            return;
        }
        RequireVerb(resource, info.Verb);
        switch (info.Verb)
        {
            case "get": await GetAsync(context, store, ns, info.Name!, ct); break;
            case "list": await ListAsync(context, store, ns, ct); break;
            case "watch": await watches.ServeAsync(context, store, ns, info.Name, ct); break;
            case "create": await CreateAsync(context, store, ns, ct); break;
            case "update": await UpdateAsync(context, store, ns, info.Name!, store.Strategy, ct); break;
            case "patch": await PatchAsync(context, store, ns, info.Name!, store.Strategy, ct); break;
            case "delete": await DeleteAsync(context, store, ns, info.Name!, ct); break;
            case "deletecollection": await DeleteCollectionAsync(context, store, ns, ct); break;
            default: throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
    }

    private async Task HandleSubresourceAsync(HttpContext context, RequestInfo info, ResourceStore store, string? ns, CancellationToken ct)
    {
        var sub = store.Resource.Subresource(info.Subresource!) ?? throw NotFoundPath();
        if (store.Resource.Group.Length == 0 && Proxy.ConnectHandler.Handles(store.Resource.Name, sub.Name))
        {
            await connects.HandleAsync(context, info, ct);
            return;
        }
        if (!sub.Verbs.Contains(info.Verb))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        switch (sub.Name)
        {
            case "scale":
                await scales.HandleAsync(context, store, ns, info.Name!, info.Verb, ct);
                return;
            case "binding" when store.Resource is { Group: "", Name: "pods" }:
                await bindings.HandleAsync(context, ns!, info.Name, ct);
                return;
            case "token" when store.Resource is { Group: "", Name: "serviceaccounts" }:
                await tokenRequests.HandleAsync(context, store, ns!, info.Name!, ct);
                return;
            case "eviction" when store.Resource is { Group: "", Name: "pods" }:
                await evictions.HandleAsync(context, store, ns!, info.Name!, ct);
                return;
            case "finalize" when store.Resource is { Group: "", Name: "namespaces" } && info.Verb == "update":
                await UpdateAsync(context, store, ns, info.Name!, new NamespaceFinalizeStrategy(store.Strategy), ct);
                return;
            case not "status" and not "ephemeralcontainers":
                throw new ApiException(404, "NotFound", $"the subresource {sub.Name} of {store.Resource.GroupResource} is not served yet");
        }
        IResourceStrategy statusStrategy = sub.Name == "status" ? new StatusStrategy(store.Strategy) : new EphemeralContainersStrategy(store.Strategy);
        switch (info.Verb)
        {
            case "get": await GetAsync(context, store, ns, info.Name!, ct); break;
            case "update": await UpdateAsync(context, store, ns, info.Name!, statusStrategy, ct); break;
            case "patch": await PatchAsync(context, store, ns, info.Name!, statusStrategy, ct); break;
            default: throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private static void RequireVerb(ApiResource resource, string verb)
    {
        if (!resource.Verbs.Contains(verb))
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    internal static ApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");

    private async Task GetAsync(HttpContext context, ResourceStore store, string? ns, string name, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: true, store.Resource, "PartialObjectMetadata");
        if (output.Format == OutputFormat.Json && !output.Partial)
        {
            var encoded = await store.GetEncodedAsync(ns, name, ct);
            ResponseWriter.StartResponse(context.Response, 200);
            context.Response.ContentType = MediaTypes.Json;
            await context.Response.Body.WriteAsync(encoded, ct);
            return;
        }
        var obj = await store.GetAsync(ns, name, ct);
        JsonNode body = output.Format == OutputFormat.Table
            ? new TableBuilder(store.Resource, output.IncludeObject, time).Build([obj], new JsonObject { ["resourceVersion"] = obj.ResourceVersion() })
            : output.Partial ? Negotiation.PartialOf(obj) : obj;
        await ResponseWriter.WriteAsync(context, 200, body, output.Format, ct);
    }

    private async Task ListAsync(HttpContext context, ResourceStore store, string? ns, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: true, store.Resource, "PartialObjectMetadataList");
        var request = ListQuery.Parse(context.Request, store.Resource);
        if (output.Format == OutputFormat.Json && !output.Partial)
        {
            var encoded = await store.ListEncodedAsync(ns, request, ct);
            await ListWriter.WriteAsync(context, store.Resource, encoded, ct);
            return;
        }
        var page = await store.ListAsync(ns, request, ct);
        var metadata = ListWriter.Metadata(page.Revision, page.Continue);
        JsonNode body = output.Format == OutputFormat.Table
            ? new TableBuilder(store.Resource, output.IncludeObject, time).Build(page.Items, metadata)
            : new JsonObject
            {
                ["kind"] = output.Partial ? "PartialObjectMetadataList" : store.Resource.Kind + "List",
                ["apiVersion"] = output.Partial ? "meta.k8s.io/v1" : store.Resource.ApiVersion,
                ["metadata"] = metadata,
                ["items"] = new JsonArray(page.Items.Select(i => (JsonNode)(output.Partial ? Negotiation.PartialOf(i) : i)).ToArray()),
            };
        await ResponseWriter.WriteAsync(context, 200, body, output.Format, ct);
    }
}
