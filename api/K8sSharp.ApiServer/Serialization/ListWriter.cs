using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Serialization;

/// <summary>
/// Writes a JSON list (<c>kind: &lt;Kind&gt;List</c>) whose items are already encoded, straight to the response body
/// in chunks, so a list of thousands of objects is neither rebuilt as a JSON tree nor held whole in memory. The
/// bytes equal those of serialising the same list built as a <see cref="JsonObject"/>.
/// </summary>
internal static class ListWriter
{
    /// <summary>How much the writer buffers before it hands its bytes to the response body.</summary>
    private const int FlushThreshold = 64 * 1024;

    /// <summary>The list's metadata: the snapshot's resourceVersion and, for a cut page, the continue token.</summary>
    public static JsonObject Metadata(long revision, string? continueToken)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }
        return metadata;
    }

    public static async Task WriteAsync(HttpContext context, ApiResource resource, EncodedListPage page, CancellationToken ct)
    {
        var response = context.Response;
        ResponseWriter.StartResponse(response, 200);
        response.ContentType = MediaTypes.Json;
        await using var writer = new Utf8JsonWriter(response.Body, ResponseWriter.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("kind", resource.Kind + "List");
        writer.WriteString("apiVersion", resource.ApiVersion);
        writer.WritePropertyName("metadata");
        Metadata(page.Revision, page.Continue).WriteTo(writer);
        writer.WriteStartArray("items");
        foreach (var item in page.Items)
        {
            writer.WriteRawValue(item, skipInputValidation: true);
            if (writer.BytesPending >= FlushThreshold)
            {
                await writer.FlushAsync(ct);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
    }
}
