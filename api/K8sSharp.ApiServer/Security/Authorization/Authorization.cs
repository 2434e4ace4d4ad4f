using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>
/// Authorizes every authenticated request after <see cref="Authentication"/>: a request the RBAC policy does not
/// allow is a 403 Forbidden Status naming the user, verb, resource and scope, as upstream words it. The public
/// health and version endpoints stay open to everyone, as <c>system:public-info-viewer</c> makes them upstream.
/// </summary>
internal sealed class Authorization(RbacAuthorizer authorizer) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var user = context.Items[Authentication.UserItemKey] as UserInfo ?? UserInfo.Anonymous;
        if (user != UserInfo.Anonymous)
        {
            var request = AuthorizationAttributes.FromRequest(context.Request);
            var (allowed, reason) = authorizer.Authorize(user, request);
            if (!allowed)
            {
                var message = request.ForbiddenMessage(user) + (reason.Length > 0 ? ": " + reason : "");
                var details = request.IsResourceRequest
                    ? new System.Text.Json.Nodes.JsonObject { ["name"] = request.Name, ["group"] = request.ApiGroup, ["kind"] = request.Resource }
                    : null;
                throw new ApiException(403, "Forbidden", message, details);
            }
        }
        await next(context);
    }
}
