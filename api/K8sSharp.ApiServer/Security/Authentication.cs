using System.Security.Cryptography.X509Certificates;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Security;

/// <summary>The authenticated caller: a user name, groups, uid and extras, as kube-apiserver's user.Info.</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string? Uid = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra = null)
{
    public static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);
}

/// <summary>
/// Authenticates every request, in upstream's order: a TLS client certificate issued by the cluster CA (CN is the
/// user, O the groups), else an <c>Authorization: Bearer</c> service-account token. A bearer token that does not
/// validate is a 401, never anonymous (upstream's union authenticator fails on error before the anonymous one).
/// Unauthenticated callers may only read the public information endpoints, like upstream's
/// <c>system:public-info-viewer</c>, and the service-account issuer discovery documents; anything else is a 401.
/// Authorization (RBAC) comes in a later layer.
/// </summary>
internal sealed class Authentication(ServiceAccountTokens tokens) : IMiddleware
{
    private static readonly HashSet<string> PublicPaths = new(StringComparer.Ordinal)
    {
        "/healthz", "/livez", "/readyz", "/version", IssuerDiscovery.ConfigurationPath, IssuerDiscovery.KeysPath,
    };

    public const string UserItemKey = "k8ssharp.user";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var user = await AuthenticateAsync(context);
        if (user == UserInfo.Anonymous && !PublicPaths.Contains(context.Request.Path.Value ?? string.Empty))
        {
            throw ApiException.Unauthorized();
        }
        context.Items[UserItemKey] = user;
        RequestUser.Current = user;
        await next(context);
    }

    private async Task<UserInfo> AuthenticateAsync(HttpContext context)
    {
        // Kestrel's ClientCertificateValidation (ApiServerHost) already refused the TLS handshake of any certificate
        // the cluster CA did not issue, so a certificate present here is valid; checking the chain again per request
        // would cost more than serving a typical request.
        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync();
        if (certificate is not null)
        {
            return FromCertificate(certificate);
        }
        if (BearerToken(context.Request) is not { } token)
        {
            return UserInfo.Anonymous;
        }
        var result = await tokens.AuthenticateAsync(token, null, context.RequestAborted);
        return result.User ?? throw ApiException.Unauthorized();
    }

    private static UserInfo FromCertificate(X509Certificate2 certificate)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? string.Empty)
            .Append("system:authenticated")
            .ToList();
        return new UserInfo(name, groups);
    }

    /// <summary>
    /// The token of <c>Authorization: Bearer &lt;token&gt;</c> (scheme case-insensitive), as upstream's bearertoken
    /// authenticator reads it; a missing, other-scheme or empty one is no token at all (the request stays anonymous).
    /// </summary>
    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !header[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = header[(space + 1)..].Trim();
        return token.Length == 0 || token.Contains(' ', StringComparison.Ordinal) ? null : token;
    }
}
