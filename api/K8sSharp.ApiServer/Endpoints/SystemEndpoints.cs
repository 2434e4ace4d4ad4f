using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// The non-resource endpoints: <c>/version</c>, health, discovery and OpenAPI v3 (v2 is in <see cref="OpenApiV2Endpoint"/>). The OpenAPI documents are the
/// official ones, served byte for byte, with the hash as upstream computes it for the index.
/// </summary>
internal static class SystemEndpoints
{
    public const string GitVersion = "v1.35.2+k8ssharp";
    private const string AggregatedMediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public static void Map(WebApplication app, DiscoveryDocuments discovery, Func<bool> ready)
    {
        app.MapGet("/version", () => Results.Json(VersionInfo()));
        foreach (var path in new[] { "/healthz", "/livez" })
        {
            app.MapGet(path, () => Results.Text("ok"));
        }
        app.MapGet("/readyz", () => ready() ? Results.Text("ok") : Results.Text("[-]poststarthook/k8ssharp-initialization failed: not finished\nreadyz check failed", statusCode: 500));
        app.MapGet("/api", (HttpContext c) => WriteDiscoveryAsync(c, () => discovery.Aggregated(core: true), discovery.ApiVersions));
        app.MapGet("/apis", (HttpContext c) => WriteDiscoveryAsync(c, () => discovery.Aggregated(core: false), discovery.GroupList));
        app.MapGet("/openapi/v3", () => Results.Json(OpenApiIndex()));
        app.MapGet("/openapi/v3/{**path}", ServeOpenApiDocument);
        app.MapGet("/openapi/v2", OpenApiV2Endpoint.ServeAsync);
    }

    private static JsonObject VersionInfo() => new()
    {
        ["major"] = "1",
        ["minor"] = "35",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "35",
        ["minCompatibilityMajor"] = "1",
        ["minCompatibilityMinor"] = "34",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-11-28T00:00:00Z",
        ["goVersion"] = "dotnet" + Environment.Version,
        ["compiler"] = "dotnet",
        ["platform"] = "linux/amd64",
    };

    /// <summary>Aggregated discovery when the client offers it (kubectl does, first), legacy otherwise.</summary>
    private static async Task WriteDiscoveryAsync(HttpContext context, Func<JsonObject> aggregated, Func<JsonObject> legacy)
    {
        var accept = context.Request.Headers.Accept.ToString();
        var wantsAggregated = accept.Split(',').Any(a => a.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && a.Contains("v=v2", StringComparison.Ordinal) && !a.Contains("v2beta1", StringComparison.Ordinal));
        context.Response.Headers.Vary = "Accept";
        context.Response.Headers.CacheControl = "no-cache, private";
        context.Response.ContentType = wantsAggregated ? AggregatedMediaType : MediaTypes.Json;
        await ResponseWriter.WriteJsonAsync(context.Response.Body, wantsAggregated ? aggregated() : legacy(), context.RequestAborted);
    }

    private static JsonObject OpenApiIndex()
    {
        var paths = new JsonObject();
        foreach (var document in OpenApiDocuments.ByPath.Values.OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            paths[document.Path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{document.Path}?hash={document.Hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    private static IResult ServeOpenApiDocument(HttpContext context, string path)
    {
        if (!OpenApiDocuments.ByPath.TryGetValue(path, out var document))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        var hash = context.Request.Query["hash"].ToString();
        if (hash.Length > 0 && hash != document.Hash)
        {
            return Results.Redirect($"/openapi/v3/{path}?hash={document.Hash}", permanent: true);
        }
        context.Response.Headers.CacheControl = hash.Length > 0 ? "public, immutable" : "no-cache, no-store, must-revalidate";
        context.Response.Headers.ETag = $"\"{document.Hash}\"";
        return Results.Bytes(document.Bytes, "application/json");
    }
}
