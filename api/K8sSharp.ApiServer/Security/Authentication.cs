using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Security;

/// <summary>The authenticated caller: a user name and groups, as kube-apiserver's user.Info.</summary>
internal sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);
}

/// <summary>
/// Authenticates every request by its TLS client certificate (issued by the cluster CA: CN is the user, O the
/// groups). Unauthenticated callers may only read the public information endpoints, like upstream's
/// <c>system:public-info-viewer</c>; anything else is a 401. Authorization (RBAC) comes in a later layer.
/// </summary>
internal sealed class Authentication(ClusterPki pki) : IMiddleware
{
    private static readonly HashSet<string> PublicPaths = new(StringComparer.Ordinal) { "/healthz", "/livez", "/readyz", "/version" };

    public const string UserItemKey = "k8ssharp.user";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var user = await AuthenticateAsync(context);
        if (user == UserInfo.Anonymous && !PublicPaths.Contains(context.Request.Path.Value ?? string.Empty))
        {
            throw ApiException.Unauthorized();
        }
        context.Items[UserItemKey] = user;
        await next(context);
    }

    private async Task<UserInfo> AuthenticateAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync();
        if (certificate is null || !pki.IsIssuedByCa(certificate))
        {
            return UserInfo.Anonymous;
        }
        var name = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? string.Empty)
            .Append("system:authenticated")
            .ToList();
        return new UserInfo(name, groups);
    }
}
