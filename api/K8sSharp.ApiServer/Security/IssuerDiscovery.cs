using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Security;

/// <summary>
/// Service-account issuer discovery (OIDC): <c>/.well-known/openid-configuration</c> and the JWKS with the signing
/// key, so that other systems can verify service-account tokens. Upstream serves them to service accounts only by
/// default (RBAC <c>system:service-account-issuer-discovery</c>); here they are public, as the keys are.
/// </summary>
internal static class IssuerDiscovery
{
    public const string ConfigurationPath = "/.well-known/openid-configuration";
    public const string KeysPath = "/openid/v1/jwks";

    public static void Map(WebApplication app, ServiceAccountKeys keys)
    {
        var configuration = new JsonObject
        {
            ["issuer"] = ServiceAccountTokens.Issuer,
            ["jwks_uri"] = ServiceAccountTokens.Issuer + KeysPath,
            ["response_types_supported"] = new JsonArray("id_token"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray(ServiceAccountKeys.Algorithm),
        }.ToJsonString();
        var jwks = new JsonObject { ["keys"] = new JsonArray(keys.PublicJwk()) }.ToJsonString();
        app.MapGet(ConfigurationPath, (HttpContext c) => Serve(c, configuration, "application/json"));
        app.MapGet(KeysPath, (HttpContext c) => Serve(c, jwks, "application/jwk-set+json"));
    }

    private static IResult Serve(HttpContext context, string body, string contentType)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(body, contentType);
    }
}
