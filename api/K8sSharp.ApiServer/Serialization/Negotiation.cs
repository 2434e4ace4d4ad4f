using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Serialization;

internal enum OutputFormat { Json, Yaml, Table }

/// <summary>What the client asked for in <c>Accept</c>, and for Tables which object each row embeds.</summary>
internal sealed record Negotiated(OutputFormat Format, string IncludeObject);

/// <summary>
/// Chooses the response format from the Accept header, in the client's order: a meta.k8s.io Table (kubectl get),
/// YAML, or JSON. Protobuf is never produced: every client that offers it also offers JSON or <c>*/*</c>.
/// </summary>
internal static class Negotiation
{
    public static Negotiated For(HttpRequest request, bool tableAllowed)
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
                continue; // another transformation (PartialObjectMetadata...) we do not serve: try the next one
            }
            switch (media)
            {
                case MediaTypes.Json or "application/*" or "*/*":
                    return new Negotiated(OutputFormat.Json, include);
                case MediaTypes.Yaml:
                    return new Negotiated(OutputFormat.Yaml, include);
            }
        }
        throw ApiException.NotAcceptable($"only the following media types are accepted: application/json, application/yaml, {MediaTypes.Table}");
    }
}
