using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Patching;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>Applies a JSON, merge or strategic merge patch document to an object, with upstream's error codes.</summary>
internal static class PatchDocuments
{
    /// <param name="schema">The object's schema, which drives strategic merge; null merges like a merge patch.</param>
    /// <exception cref="ApiException">400 for a patch of the wrong shape, 415 for another media type, 422 when it does not apply.</exception>
    public static JsonObject Apply(string mediaType, JsonObject current, JsonNode? patch, JsonObject? schema, SchemaIndex schemas)
    {
        try
        {
            var result = mediaType switch
            {
                MediaTypes.JsonPatch => JsonPatch.Apply(current, patch as JsonArray ?? throw ApiException.BadRequest("a JSON patch must be an array of operations")),
                MediaTypes.StrategicMergePatch => StrategicMergePatch.Apply(current, patch as JsonObject ?? throw ApiException.BadRequest("a strategic merge patch must be an object"), schema, schemas),
                MediaTypes.MergePatch => MergePatch.Apply(current, patch),
                _ => throw ApiException.UnsupportedMediaType(mediaType),
            };
            return result as JsonObject ?? throw ApiException.BadRequest("the patch must produce an object");
        }
        catch (PatchException e)
        {
            throw new ApiException(422, "Invalid", e.Message);
        }
    }
}
