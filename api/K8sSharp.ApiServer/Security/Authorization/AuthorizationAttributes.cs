using K8sSharp.ApiServer.Endpoints;

namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>
/// What a request asks to do, as upstream's authorizer.Attributes: a resource request (verb, group, resource,
/// subresource, namespace, name) or a non-resource request (verb and path).
/// </summary>
internal sealed record AuthorizationAttributes(
    string Verb, bool IsResourceRequest, string ApiGroup = "", string Resource = "", string Subresource = "",
    string Namespace = "", string Name = "", string Path = "")
{
    /// <summary>Connect subresources need <c>create</c> whatever the method (a WebSocket upgrade is a GET).</summary>
    private static readonly HashSet<string> CreateOnConnect = new(StringComparer.Ordinal) { "exec", "attach", "portforward" };

    public static AuthorizationAttributes FromRequest(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var watch = request.Query["watch"].ToString() is "true" or "1";
        var info = path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/apis/", StringComparison.Ordinal)
            ? RequestInfo.Parse(request.Method, path, watch)
            : null;
        if (info is null || IsDiscovery(info, path))
        {
            return new AuthorizationAttributes(NonResourceVerb(request.Method), false, Path: path);
        }
        var verb = info.Subresource is { } sub && CreateOnConnect.Contains(sub) && info.Resource == "pods" ? "create" : info.Verb;
        // A namespace's own subresources (status, finalize) are addressed as namespaces/{name}/{sub}.
        var ns = info.Resource == "namespaces" ? "" : info.Namespace ?? "";
        var name = info.Resource == "namespaces" && info.Name is null ? info.Namespace ?? "" : info.Name ?? "";
        return new AuthorizationAttributes(verb, true, info.Group, info.Resource, info.Subresource ?? "", ns, name, path);
    }

    /// <summary>/api/v1 and /apis/group[/version] are discovery documents, authorized as paths.</summary>
    private static bool IsDiscovery(RequestInfo info, string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["api", _] or ["apis", _] or ["apis", _, _];

    private static string NonResourceVerb(string method) => method switch
    {
        "GET" or "HEAD" => "get",
        "POST" => "post",
        "PUT" => "put",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => method.ToLowerInvariant(),
    };

    /// <summary>Upstream's 403 message: what the user cannot do, and where.</summary>
    public string ForbiddenMessage(UserInfo user)
    {
        if (!IsResourceRequest)
        {
            return $"forbidden: User \"{user.Name}\" cannot {Verb} path \"{Path}\"";
        }
        var resource = Subresource.Length > 0 ? $"{Resource}/{Subresource}" : Resource;
        var subject = Name.Length > 0 ? $"{resource} \"{Name}\"" : resource;
        var scope = Namespace.Length > 0 ? $"in the namespace \"{Namespace}\"" : "at the cluster scope";
        return $"{subject} is forbidden: User \"{user.Name}\" cannot {Verb} resource \"{resource}\" in API group \"{ApiGroup}\" {scope}";
    }
}
