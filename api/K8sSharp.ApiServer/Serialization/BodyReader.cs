using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Protobuf;
using K8sSharp.Api.Serialization;

namespace K8sSharp.ApiServer.Serialization;

/// <summary>A decoded request body and the duplicate fields found while decoding it.</summary>
internal sealed record DecodedBody(JsonNode? Node, IReadOnlyList<string> Duplicates);

/// <summary>
/// Reads request bodies in every format clients send: JSON, YAML and Kubernetes protobuf. Bodies over 3 MiB are
/// refused with 413 before they are parsed, malformed ones with 400, unknown formats with 415.
/// </summary>
internal static class BodyReader
{
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task<DecodedBody> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var bytes = await ReadBytesAsync(request, ct);
        var mediaType = MediaTypes.Essence(request.ContentType);
        try
        {
            return mediaType switch
            {
                MediaTypes.Json or MediaTypes.JsonPatch or MediaTypes.MergePatch or MediaTypes.StrategicMergePatch => ParseJson(bytes),
                MediaTypes.Yaml or "application/x-yaml" or "text/yaml" or MediaTypes.ApplyPatch => ParseYamlOrJson(bytes),
                MediaTypes.Protobuf => new DecodedBody(KubeProtobuf.Decode(bytes), []),
                _ => throw ApiException.UnsupportedMediaType(mediaType),
            };
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body could not be decoded as JSON: {e.Message}");
        }
        catch (FormatException e)
        {
            throw ApiException.BadRequest(e.Message);
        }
        catch (ProtobufDecodeException e)
        {
            throw ApiException.BadRequest($"the request body could not be decoded as protobuf: {e.Message}");
        }
    }

    /// <summary>Reads a body that must be one object (create, update, delete options).</summary>
    public static async Task<(JsonObject Object, IReadOnlyList<string> Duplicates)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct);
        return body.Node is JsonObject obj
            ? (obj, body.Duplicates)
            : throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw TooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ApiException TooLarge() => ApiException.TooLarge($"Request entity too large: limit is {MaxBodyBytes}");

    private static DecodedBody ParseJson(byte[] bytes)
    {
        var duplicates = new List<string>();
        var node = StrictJson.Parse(bytes, duplicates);
        return new DecodedBody(node, duplicates);
    }

    /// <summary>JSON is valid YAML; parse it as JSON when it looks like JSON so that numbers and duplicates stay exact.</summary>
    private static DecodedBody ParseYamlOrJson(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[') ? ParseJson(bytes) : new DecodedBody(YamlJson.Parse(text), []);
    }
}
