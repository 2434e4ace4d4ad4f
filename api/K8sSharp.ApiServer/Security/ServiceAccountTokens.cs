using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Security;

/// <summary>The outcome of checking a token: the user and the audiences it is valid for, or the reason it is not.</summary>
internal sealed record TokenResult(UserInfo? User, IReadOnlyList<string> Audiences, string Error)
{
    public static TokenResult Fail(string error) => new(null, [], error);
}

/// <summary>
/// Issues and checks service-account tokens, as upstream's <c>pkg/serviceaccount/jwt.go</c> and <c>claims.go</c>:
/// a token is valid when its RS256 signature verifies, its issuer is ours, it is within <c>nbf</c>..<c>exp</c> (one
/// minute of leeway, go-jose's default), one of its audiences is accepted (the issuer unless the caller names
/// others), and the service account and every bound object still exist with the uids in the token (objects deleted
/// more than the leeway ago count as gone). Objects are read through the registry, i.e. the watch cache.
/// </summary>
internal sealed class ServiceAccountTokens(ServiceAccountKeys keys, StoreRegistry registry, TimeProvider time)
{
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    public static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);

    public ServiceAccountKeys Keys => keys;

    /// <summary>A signed token for <paramref name="serviceAccount"/>, valid from <paramref name="now"/> for the given seconds.</summary>
    public string Issue(JsonObject serviceAccount, BoundObjects bound, IReadOnlyList<string> audiences, long expirationSeconds, DateTimeOffset now)
    {
        var claims = new ServiceAccountClaims(Issuer, audiences, now.AddSeconds(expirationSeconds), now, Guid.NewGuid().ToString(),
            serviceAccount.Namespace() ?? string.Empty, ClaimRef.Of(serviceAccount), bound);
        return JsonWebToken.Encode(claims.ToJson(now), keys);
    }

    /// <param name="audiences">The audiences the caller accepts (TokenReview's spec.audiences); null or empty means the issuer.</param>
    public async Task<TokenResult> AuthenticateAsync(string token, IReadOnlyList<string>? audiences, CancellationToken ct)
    {
        var payload = JsonWebToken.Decode(token, keys, out var error);
        var claims = payload is null ? null : ServiceAccountClaims.Parse(payload, out error);
        if (claims is null)
        {
            return TokenResult.Fail(error);
        }
        if (claims.Issuer != Issuer)
        {
            return TokenResult.Fail($"token issuer {claims.Issuer} is not {Issuer}");
        }
        var now = time.GetUtcNow();
        if (now > claims.Expiry + Leeway)
        {
            return TokenResult.Fail("service account token has expired");
        }
        if (now + Leeway < claims.NotBefore)
        {
            return TokenResult.Fail("service account token is not valid yet");
        }
        IReadOnlyList<string> accepted = audiences is { Count: > 0 } ? audiences : [Issuer];
        var matched = claims.Audiences.Intersect(accepted, StringComparer.Ordinal).ToList();
        if (matched.Count == 0)
        {
            return TokenResult.Fail($"token audiences [{string.Join(" ", claims.Audiences)}] is invalid for the target audiences [{string.Join(" ", accepted)}]");
        }
        var objectError = await CheckObjectsAsync(claims, now - Leeway, ct);
        return objectError is null ? new TokenResult(claims.ToUserInfo(), matched, string.Empty) : TokenResult.Fail(objectError);
    }

    /// <summary>Null when the service account and the bound objects are still there, else why not (upstream's messages).</summary>
    private async Task<string?> CheckObjectsAsync(ServiceAccountClaims claims, DateTimeOffset deletedBefore, CancellationToken ct)
    {
        var ns = claims.Namespace;
        var serviceAccount = await GetAsync("serviceaccounts", ns, claims.ServiceAccount.Name, ct);
        if (serviceAccount is null)
        {
            return $"serviceaccounts \"{claims.ServiceAccount.Name}\" not found";
        }
        if (DeletedBefore(serviceAccount, deletedBefore))
        {
            return $"service account {ns}/{claims.ServiceAccount.Name} has been deleted";
        }
        if (serviceAccount.Uid() != claims.ServiceAccount.Uid)
        {
            return $"service account UID ({serviceAccount.Uid()}) does not match claim ({claims.ServiceAccount.Uid})";
        }
        return await CheckBoundAsync("secrets", "secret", ns, claims.Bound.Secret, deletedBefore, ct)
            ?? await CheckBoundAsync("pods", "pod", ns, claims.Bound.Pod, deletedBefore, ct)
            // A pod-bound token names the pod's node for information only; a node-bound token depends on the node.
            ?? (claims.Bound.Pod is null ? await CheckBoundAsync("nodes", "node", null, claims.Bound.Node, deletedBefore, ct) : null);
    }

    private async Task<string?> CheckBoundAsync(string resource, string kind, string? ns, ClaimRef? reference, DateTimeOffset deletedBefore, CancellationToken ct)
    {
        if (reference is null)
        {
            return null;
        }
        var obj = await GetAsync(resource, ns, reference.Name, ct);
        if (obj is null || DeletedBefore(obj, deletedBefore))
        {
            return "service account token has been invalidated";
        }
        return obj.Uid() == reference.Uid ? null : $"{kind} UID ({obj.Uid()}) does not match service account {kind} ref claim ({reference.Uid})";
    }

    private static bool DeletedBefore(JsonObject obj, DateTimeOffset when) =>
        obj["metadata"]?["deletionTimestamp"] is JsonValue value && value.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var deleted) && deleted < when;

    private async Task<JsonObject?> GetAsync(string resource, string? ns, string name, CancellationToken ct)
    {
        try
        {
            return await registry.For(registry.Catalog.Find("", "v1", resource)!).GetAsync(ns, name, ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
