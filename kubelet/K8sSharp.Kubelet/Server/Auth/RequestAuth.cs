using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace K8sSharp.Kubelet.Server.Auth;

/// <summary>
/// The server's filter, as upstream's InstallAuthFilter: HTTPS callers are authenticated by a client certificate from
/// the cluster CA or else a bearer token (401 <c>Unauthorized</c>), then authorized on <c>nodes/&lt;subresource&gt;</c>
/// of this node (403 <c>Forbidden (user=…, verb=…, resource=nodes, subresource=…)</c>; 500 when the API server cannot
/// answer). The plain-HTTP listener serves only <c>/healthz</c>, unauthenticated.
/// </summary>
internal static class RequestAuth
{
    public static async Task AuthenticateAndAuthorizeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.IsHttps)
        {
            if (context.Request.Path == "/healthz")
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var auth = context.RequestServices.GetRequiredService<IKubeletAuth>();
        var verb = RequestAttributes.Verb(context.Request.Method);
        var subresources = RequestAttributes.Subresources(context.Request.Path.Value ?? "/");
        KubeletUser? user = null;
        try
        {
            user = await AuthenticateAsync(context, auth);
            if (user is null)
            {
                await StatusResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
                return;
            }
            foreach (var subresource in subresources)
            {
                if (await auth.AuthorizeAsync(user, verb, subresource, context.RequestAborted))
                {
                    await next(context);
                    return;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            await StatusResponses.WriteAsync(context, StatusCodes.Status500InternalServerError,
                $"Authorization error (user={user?.Name}, verb={verb}, resource=nodes, subresource={subresources[^1]})");
            return;
        }
        await StatusResponses.WriteAsync(context, StatusCodes.Status403Forbidden,
            $"Forbidden (user={user.Name}, verb={verb}, resource=nodes, subresource={subresources[^1]})");
    }

    private static async Task<KubeletUser?> AuthenticateAsync(HttpContext context, IKubeletAuth auth)
    {
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (context.RequestServices.GetRequiredService<ClientCertificateAuthenticator>().Authenticate(certificate) is { } user)
        {
            return user;
        }
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token
            ? await auth.AuthenticateTokenAsync(token, context.RequestAborted)
            : null;
    }
}
