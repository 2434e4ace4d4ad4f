using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// <c>GET /openapi/v2</c> as kube-openapi serves it: the Swagger document as JSON, or as gnostic protobuf for
/// <c>Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c> (client-go's only offer, used by
/// kubectl's field-validation verifier and client-side schema validation when v3 lacks a kind). Each form has
/// its own ETag; a matching If-None-Match gets 304; gzip is used when the client accepts it.
/// </summary>
internal static class OpenApiV2Endpoint
{
    public const string ProtobufMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    // The pre-1.16 spelling of the protobuf type, still accepted upstream.
    private const string LegacyProtobufMediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    public static async Task ServeAsync(HttpContext context)
    {
        var (representation, mediaType) = Choose(context.Request.Headers.Accept.ToString());
        var response = context.Response;
        response.Headers.ETag = representation.ETag;
        response.Headers.Vary = "Accept-Encoding, Accept";
        response.Headers.CacheControl = "no-cache, private";
        if (context.Request.Headers.IfNoneMatch.ToString().Contains(representation.ETag, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = mediaType;
        var gzip = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }
        var bytes = gzip ? representation.Gzipped : representation.Bytes;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>The first offered type we serve, in the client's order; no Accept means JSON.</summary>
    private static (OpenApiV2Representation, string) Choose(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return (OpenApiV2Document.Json, "application/json");
        }
        foreach (var candidate in accept.Split(','))
        {
            var media = candidate.Split(';')[0].Trim().ToLowerInvariant();
            switch (media)
            {
                case ProtobufMediaType or LegacyProtobufMediaType:
                    // Like kube-openapi: the '@' in the requested type is not a valid media type for Go's
                    // mime.ParseMediaType, which client-go applies to every response's Content-Type.
                    return (OpenApiV2Document.Protobuf, "application/octet-stream");
                case "application/json" or "application/*" or "*/*":
                    return (OpenApiV2Document.Json, "application/json");
            }
        }
        throw ApiException.NotAcceptable($"only the following media types are accepted: application/json, {ProtobufMediaType}");
    }
}
