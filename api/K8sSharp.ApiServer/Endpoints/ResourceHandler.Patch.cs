using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Patching;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

internal sealed partial class ResourceHandler
{
    /// <summary>
    /// PATCH with JSON patch, merge patch or strategic merge patch onto the current object, then the same update
    /// path as PUT, recording an Update entry in managedFields for the request's field manager. Server-side apply
    /// (<c>application/apply-patch+yaml</c>) goes to <see cref="ApplyAsync"/>.
    /// </summary>
    private async Task PatchAsync(HttpContext context, ResourceStore store, string? ns, string name, IResourceStrategy strategy, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var mediaType = MediaTypes.Essence(context.Request.ContentType);
        if (mediaType == MediaTypes.ApplyPatch)
        {
            await ApplyAsync(context, store, ns, name, strategy, ct);
            return;
        }
        if (context.Request.Get("force") is not null)
        {
            throw ApiException.Invalid("meta.k8s.io", "PatchOptions", "", [new StatusCause("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force")]);
        }
        if (mediaType is not MediaTypes.JsonPatch and not MediaTypes.MergePatch and not MediaTypes.StrategicMergePatch)
        {
            throw ApiException.UnsupportedMediaType(mediaType);
        }
        var patch = (await BodyReader.ReadAsync(context.Request, ct)).Node;
        var updated = await store.GuaranteedUpdateAsync(ns, name, 0, context.Request.IsDryRun(), strategy, current =>
        {
            var patched = ApplyPatch(mediaType, current, patch, store.Resource.Gvk);
            if (patched.ResourceVersion() is { Length: > 0 } pinned && pinned != current.ResourceVersion())
            {
                throw ApiException.StaleObject(store.Resource.Group, store.Resource.Name, name);
            }
            decoder.Validate(context, patched, store.Resource.Gvk, []);
            return patched;
        }, ct, fieldManager: context.Request.FieldManager());
        await ResponseWriter.WriteAsync(context, 200, updated, output.Format, ct);
    }

    private JsonObject ApplyPatch(string mediaType, JsonObject current, JsonNode? patch, GroupVersionKind gvk)
    {
        try
        {
            var result = mediaType switch
            {
                MediaTypes.JsonPatch => JsonPatch.Apply(current, patch as JsonArray ?? throw ApiException.BadRequest("a JSON patch must be an array of operations")),
                MediaTypes.StrategicMergePatch => StrategicMergePatch.Apply(current, patch as JsonObject ?? throw ApiException.BadRequest("a strategic merge patch must be an object"), schemas.ForKind(gvk), schemas),
                _ => MergePatch.Apply(current, patch),
            };
            return result as JsonObject ?? throw ApiException.BadRequest("the patch must produce an object");
        }
        catch (PatchException e)
        {
            throw new ApiException(422, "Invalid", e.Message);
        }
    }
}
