using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Patching;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

internal sealed partial class ResourceHandler
{
    /// <summary>
    /// PATCH with JSON patch or merge patch onto the current object, then the same update path as PUT. Strategic
    /// merge and server-side apply are not implemented yet and are refused with 415, which kubectl reports.
    /// </summary>
    private async Task PatchAsync(HttpContext context, ResourceStore store, string? ns, string name, IResourceStrategy strategy, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        var mediaType = MediaTypes.Essence(context.Request.ContentType);
        if (mediaType is not MediaTypes.JsonPatch and not MediaTypes.MergePatch)
        {
            throw ApiException.UnsupportedMediaType(mediaType);
        }
        var patch = (await BodyReader.ReadAsync(context.Request, ct)).Node;
        var updated = await store.GuaranteedUpdateAsync(ns, name, 0, context.Request.IsDryRun(), strategy, current =>
        {
            var patched = ApplyPatch(mediaType, current, patch);
            if (patched.ResourceVersion() is { Length: > 0 } pinned && pinned != current.ResourceVersion())
            {
                throw ApiException.StaleObject(store.Resource.Group, store.Resource.Name, name);
            }
            decoder.Validate(context, patched, store.Resource.Gvk, []);
            return patched;
        }, ct);
        await ResponseWriter.WriteAsync(context, 200, updated, output.Format, ct);
    }

    private static JsonObject ApplyPatch(string mediaType, JsonObject current, JsonNode? patch)
    {
        try
        {
            var result = mediaType == MediaTypes.JsonPatch
                ? JsonPatch.Apply(current, patch as JsonArray ?? throw ApiException.BadRequest("a JSON patch must be an array of operations"))
                : MergePatch.Apply(current, patch);
            return result as JsonObject ?? throw ApiException.BadRequest("the patch must produce an object");
        }
        catch (PatchException e)
        {
            throw new ApiException(422, "Invalid", e.Message);
        }
    }
}
