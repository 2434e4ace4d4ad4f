using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Schema;

/// <summary>One served representation of the OpenAPI v2 document: its bytes, their gzip form and the ETag
/// kube-openapi gives them (the quoted upper-case hex SHA-512 of the bytes).</summary>
public sealed class OpenApiV2Representation(byte[] bytes)
{
    private readonly Lazy<byte[]> _gzipped = new(() => Gzip(bytes));

    public byte[] Bytes => bytes;

    public string ETag { get; } = $"\"{Convert.ToHexString(SHA512.HashData(bytes))}\"";

    public byte[] Gzipped => _gzipped.Value;

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }
}

/// <summary>
/// The official Kubernetes 1.35 OpenAPI v2 (Swagger 2.0) document embedded in this assembly, as JSON (byte for
/// byte as shipped) and as the gnostic protobuf that client-go asks for. Each is built once, on first use.
/// </summary>
public static class OpenApiV2Document
{
    private const string ResourceName = "openapi/v2/swagger.json";
    private static readonly Lazy<OpenApiV2Representation> LazyJson = new(() => new(Load()));
    private static readonly Lazy<OpenApiV2Representation> LazyProtobuf = new(() =>
        new(OpenApiV2Protobuf.Encode((JsonObject)JsonNode.Parse(Json.Bytes)!)));

    public static OpenApiV2Representation Json => LazyJson.Value;

    public static OpenApiV2Representation Protobuf => LazyProtobuf.Value;

    private static byte[] Load()
    {
        using var stream = typeof(OpenApiV2Document).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
