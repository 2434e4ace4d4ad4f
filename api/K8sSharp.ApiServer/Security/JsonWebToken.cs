using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Security;

/// <summary>
/// Compact JWS (RFC 7515) with RS256, just what service-account tokens need: <c>header.payload.signature</c>, each
/// part unpadded base64url. <see cref="Decode"/> returns the claims only when the header names RS256 (no
/// <c>none</c>, no algorithm confusion) and the signature verifies with the service-account key; claim checks
/// (time, issuer, audience) are the caller's.
/// </summary>
internal static class JsonWebToken
{
    public static string Encode(JsonObject claims, ServiceAccountKeys keys)
    {
        var header = new JsonObject { ["alg"] = ServiceAccountKeys.Algorithm, ["kid"] = keys.KeyId };
        var signingInput = $"{Part(header)}.{Part(claims)}";
        return $"{signingInput}.{Base64Url.EncodeToString(keys.Sign(Encoding.ASCII.GetBytes(signingInput)))}";
    }

    /// <summary>The verified claims, or null with the reason in <paramref name="error"/>.</summary>
    public static JsonObject? Decode(string token, ServiceAccountKeys keys, out string error)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            error = "token is not a compact JWS";
            return null;
        }
        var header = ParseObject(parts[0]);
        var claims = ParseObject(parts[1]);
        var signature = DecodeBytes(parts[2]);
        if (header is null || claims is null || signature is null)
        {
            error = "token is malformed";
            return null;
        }
        if (header.GetString("alg") != ServiceAccountKeys.Algorithm)
        {
            error = "token is not signed with " + ServiceAccountKeys.Algorithm;
            return null;
        }
        if (!keys.Verify(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature))
        {
            error = "invalid signature";
            return null;
        }
        error = string.Empty;
        return claims;
    }

    private static string Part(JsonObject obj) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(obj.ToJsonString()));

    private static byte[]? DecodeBytes(string part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static JsonObject? ParseObject(string part)
    {
        if (DecodeBytes(part) is not { } bytes)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
