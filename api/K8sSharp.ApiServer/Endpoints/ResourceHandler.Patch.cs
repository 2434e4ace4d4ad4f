using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
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
            var patched = PatchDocuments.Apply(mediaType, current, patch, schemas.ForKind(store.Resource.Gvk), schemas);
            if (patched.ResourceVersion() is { Length: > 0 } pinned && pinned != current.ResourceVersion())
            {
                throw ApiException.StaleObject(store.Resource.Group, store.Resource.Name, name);
            }
            decoder.Validate(context, patched, store.Resource.Gvk, []);
            return patched;
        }, ct, fieldManager: context.Request.FieldManager());
        await ResponseWriter.WriteAsync(context, 200, updated, output.Format, ct);
    }
}
