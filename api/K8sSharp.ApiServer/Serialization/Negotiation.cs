using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Protobuf;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Serialization;

internal enum OutputFormat { Json, Yaml, Table, Protobuf }

/// <summary>What the client asked for in <c>Accept</c>, and for Tables which object each row embeds.
/// <paramref name="Partial"/>: objects are answered as meta.k8s.io/v1 PartialObjectMetadata (their metadata only),
/// in <paramref name="Format"/> (JSON or protobuf).</summary>
internal sealed record Negotiated(OutputFormat Format, string IncludeObject, bool Partial = false);

/// <summary>
/// Chooses the response format from the Accept header, in the client's order: a meta.k8s.io Table (kubectl get),
/// YAML, JSON, or the Kubernetes protobuf (typed client-go clients offer it first) for kinds that have a protobuf
/// message. A <paramref name="resource"/> without one (custom resources) makes protobuf unacceptable, so the
/// client's next offer (always JSON for client-go) is used, as kube-apiserver does.
/// </summary>
internal static class Negotiation
{
    /// <summary>The negotiated format, or JSON when the Accept header allows nothing we serve (for errors,
    /// which must be written whatever the client asked).</summary>
    public static OutputFormat ForError(HttpRequest request)
    {
        try
        {
            return For(request, tableAllowed: false).Format;
        }
        catch (ApiException)
        {
            return OutputFormat.Json;
        }
    }

    /// <param name="partialAs">The <c>as=</c> this request may be answered with besides Table:
    /// PartialObjectMetadata for get and watch, PartialObjectMetadataList for list, null for writes.</param>
    public static Negotiated For(HttpRequest request, bool tableAllowed, ApiResource? resource = null, string? partialAs = null)
    {
        var include = request.Query["includeObject"].ToString() is { Length: > 0 } v ? v : "Metadata";
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return new Negotiated(OutputFormat.Json, include);
        }
        foreach (var candidate in accept.Split(','))
        {
            var parameters = candidate.Split(';').Select(p => p.Trim()).ToList();
            var media = parameters[0].ToLowerInvariant();
            var isTable = parameters.Contains("as=Table") && parameters.Contains("g=meta.k8s.io");
            if (isTable && tableAllowed && media == MediaTypes.Json && (parameters.Contains("v=v1") || parameters.Contains("v=v1beta1")))
            {
                return new Negotiated(OutputFormat.Table, include);
            }
            if (parameters.Any(p => p.StartsWith("as=", StringComparison.Ordinal)))
            {
                if (partialAs is not null && IsPartial(parameters, partialAs) && media is MediaTypes.Json or MediaTypes.Protobuf)
                {
                    return new Negotiated(media == MediaTypes.Json ? OutputFormat.Json : OutputFormat.Protobuf, include, Partial: true);
                }
                continue; // a transformation we do not serve here: try the next offer
            }
            switch (media)
            {
                case MediaTypes.Json or "application/*" or "*/*":
                    return new Negotiated(OutputFormat.Json, include);
                case MediaTypes.Yaml:
                    return new Negotiated(OutputFormat.Yaml, include);
                case MediaTypes.Protobuf when resource is null || KubeProtobuf.Supports(resource.ApiVersion, resource.Kind):
                    return new Negotiated(OutputFormat.Protobuf, include);
            }
        }
        throw ApiException.NotAcceptable($"only the following media types are accepted: application/json, application/yaml, {MediaTypes.Protobuf}");
    }

    /// <summary>An offer of <c>as=&lt;partialAs&gt;;g=meta.k8s.io;v=v1</c> (or v1beta1, as upstream still accepts).</summary>
    private static bool IsPartial(List<string> parameters, string partialAs) =>
        parameters.Contains("as=" + partialAs) && parameters.Contains("g=meta.k8s.io")
        && (parameters.Contains("v=v1") || parameters.Contains("v=v1beta1"));

    /// <summary>The PartialObjectMetadata of an object: its metadata under meta.k8s.io/v1's kind.</summary>
    public static JsonObject PartialOf(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };
}
