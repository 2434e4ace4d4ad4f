using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Schema;

/// <summary>One embedded official OpenAPI v3 document, for one group-version (e.g. <c>apis/apps/v1</c>).</summary>
/// <param name="Path">The group-version path as served under <c>/openapi/v3/</c>: <c>api/v1</c> or <c>apis/&lt;group&gt;/&lt;version&gt;</c>.</param>
/// <param name="Bytes">The document exactly as shipped, served as is.</param>
/// <param name="Hash">Upper-case hex SHA-512 of <see cref="Bytes"/>, the cache key clients put in <c>?hash=</c>.</param>
public sealed record OpenApiDocument(string Path, byte[] Bytes, string Hash)
{
    private JsonObject? parsed;

    /// <summary>The parsed document; callers must not modify it.</summary>
    public JsonObject Root => parsed ??= (JsonObject)JsonNode.Parse(Bytes)!;
}

/// <summary>Loads the official Kubernetes 1.35 OpenAPI v3 documents embedded in this assembly.</summary>
public static class OpenApiDocuments
{
    private const string ResourcePrefix = "openapi/v3/";
    private static readonly Lazy<IReadOnlyDictionary<string, OpenApiDocument>> All = new(Load);

    /// <summary>Every embedded document keyed by its path (<c>api/v1</c>, <c>apis/apps/v1</c>, ...).</summary>
    public static IReadOnlyDictionary<string, OpenApiDocument> ByPath => All.Value;

    private static Dictionary<string, OpenApiDocument> Load()
    {
        var assembly = typeof(OpenApiDocuments).Assembly;
        var documents = new Dictionary<string, OpenApiDocument>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var path = PathOf(name[ResourcePrefix.Length..]);
            documents[path] = new OpenApiDocument(path, bytes, Convert.ToHexString(SHA512.HashData(bytes)));
        }
        return documents;
    }

    /// <summary>Maps the upstream file name <c>apis__apps__v1_openapi.json</c> to <c>apis/apps/v1</c>.</summary>
    internal static string PathOf(string fileName) =>
        fileName.Replace("_openapi.json", string.Empty, StringComparison.Ordinal).Replace("__", "/", StringComparison.Ordinal);
}
