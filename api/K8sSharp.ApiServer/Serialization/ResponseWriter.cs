using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sSharp.Api.Protobuf;
using K8sSharp.Api.Serialization;

namespace K8sSharp.ApiServer.Serialization;

/// <summary>Writes objects and Status errors in the negotiated format with kube-apiserver's headers.</summary>
internal static class ResponseWriter
{
    /// <summary>The wire encoding of every JSON response: compact, only what JSON requires escaped.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode node, OutputFormat format, CancellationToken ct)
    {
        var response = context.Response;
        StartResponse(response, statusCode);
        if (format == OutputFormat.Yaml)
        {
            response.ContentType = MediaTypes.Yaml;
            await response.WriteAsync(YamlJson.Serialize(node), Encoding.UTF8, ct);
            return;
        }
        if (format == OutputFormat.Protobuf && ToProtobuf(node) is { } encoded)
        {
            response.ContentType = MediaTypes.Protobuf;
            await response.Body.WriteAsync(encoded, ct);
            return;
        }
        response.ContentType = format == OutputFormat.Table ? MediaTypes.Table : MediaTypes.Json;
        await WriteJsonAsync(response.Body, node, ct);
    }

    /// <summary>The status and the headers every kube-apiserver response has, before its content type.</summary>
    internal static void StartResponse(HttpResponse response, int statusCode)
    {
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-cache, private";
    }

    public static async Task WriteJsonAsync(Stream body, JsonNode node, CancellationToken ct)
    {
        await using var writer = new Utf8JsonWriter(body, WriterOptions);
        node.WriteTo(writer);
        await writer.FlushAsync(ct);
    }

    /// <summary>The protobuf body of an object, or null when its kind has no protobuf message or it carries
    /// fields its message lacks; the caller then answers JSON, which every protobuf client also accepts.</summary>
    public static byte[]? ToProtobuf(JsonNode node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }
        try
        {
            return KubeProtobuf.Encode(obj);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public static byte[] ToJsonBytes(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
