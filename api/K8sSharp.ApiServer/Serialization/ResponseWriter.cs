using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
