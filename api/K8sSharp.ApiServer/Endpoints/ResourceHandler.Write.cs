using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

internal sealed partial class ResourceHandler
{
    /// <summary>Deleted objects of these kinds are returned whole; others get a Success Status, as upstream does.</summary>
    private static readonly HashSet<string> ReturnsDeletedObject = new(StringComparer.Ordinal) { "pods", "services", "namespaces" };

    private async Task CreateAsync(HttpContext context, ResourceStore store, string? ns, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var obj = await decoder.DecodeAsync(context, store.Resource.Gvk, ct);
        if (store.Resource.Namespaced)
        {
            var bodyNamespace = obj.Namespace();
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
        }
        var created = await store.CreateAsync(ns, obj, Options(context), ct);
        await ResponseWriter.WriteAsync(context, 201, created, output.Format, ct);
    }

    private async Task UpdateAsync(HttpContext context, ResourceStore store, string? ns, string name, IResourceStrategy strategy, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var obj = await decoder.DecodeAsync(context, store.Resource.Gvk, ct);
        if (store.Resource.Namespaced && obj.Namespace() is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        var updated = await store.UpdateAsync(ns, name, obj, Options(context), strategy, ct);
        await ResponseWriter.WriteAsync(context, 200, updated, output.Format, ct);
    }

    private async Task DeleteAsync(HttpContext context, ResourceStore store, string? ns, string name, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var request = await DeleteOptionsReader.ReadAsync(context.Request, ct);
        var (obj, deleted) = store.Resource is { Group: "", Name: "namespaces" }
            ? await namespaces.DeleteAsync(name, request, ct)
            : await store.DeleteAsync(ns, name, request, ct);
        JsonNode body = !deleted || ReturnsDeletedObject.Contains(store.Resource.Name) ? obj : SuccessStatus(store, obj);
        // Upstream answers 202 only for a pending deletion asked with orphanDependents=false (kept for old clients).
        var code = !deleted && request.OrphanDependents == false ? 202 : 200;
        await ResponseWriter.WriteAsync(context, code, body, output.Format, ct);
    }

    /// <summary>Deletes every selected object in the namespace and answers with the list of what was deleted.</summary>
    private async Task DeleteCollectionAsync(HttpContext context, ResourceStore store, string? ns, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var request = await DeleteOptionsReader.ReadAsync(context.Request, ct);
        var page = await store.ListAsync(ns, ListQuery.Parse(context.Request, store.Resource) with { Limit = 0, Continue = null }, ct);
        var items = new JsonArray();
        foreach (var obj in page.Items)
        {
            try
            {
                var (last, _) = await store.DeleteAsync(obj.Namespace(), obj.Name()!, request, ct);
                items.Add(last);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted concurrently: nothing left to do for it.
            }
        }
        var list = new JsonObject
        {
            ["kind"] = store.Resource.Kind + "List",
            ["apiVersion"] = store.Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = page.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = items,
        };
        await ResponseWriter.WriteAsync(context, 200, list, output.Format, ct);
    }

    private static JsonObject SuccessStatus(ResourceStore store, JsonObject obj) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject
        {
            ["name"] = obj.Name(),
            ["group"] = store.Resource.Group,
            ["kind"] = store.Resource.Name,
            ["uid"] = obj.Uid(),
        },
    };

    private static WriteOptions Options(HttpContext context) =>
        new(context.Request.IsDryRun(), context.Request.FieldManager());
}
