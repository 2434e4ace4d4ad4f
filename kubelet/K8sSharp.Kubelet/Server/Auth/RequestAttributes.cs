namespace K8sSharp.Kubelet.Server.Auth;

/// <summary>
/// What a request to the kubelet's server asks for, as upstream's pkg/kubelet/server/auth.go names it for authorization:
/// the verb from the HTTP method, resource <c>nodes</c> named after this node, and a subresource from the path
/// (<c>stats</c>, <c>metrics</c>, <c>log</c>, <c>checkpoint</c>, else <c>proxy</c>). With fine-grained kubelet
/// authorization (on by default since 1.33) <c>/pods</c>, <c>/healthz</c> and <c>/configz</c> ask for their own
/// subresource first and fall back to <c>proxy</c>.
/// </summary>
internal static class RequestAttributes
{
    public static string Verb(string method) => method switch
    {
        "POST" => "create",
        "GET" or "HEAD" => "get",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => string.Empty,
    };

    /// <summary>The subresources to ask for, in order; access to any one of them allows the request.</summary>
    public static IReadOnlyList<string> Subresources(string path) => path switch
    {
        _ when IsUnder(path, "/stats") => ["stats"],
        _ when IsUnder(path, "/metrics") => ["metrics"],
        _ when IsUnder(path, "/logs") => ["log"],
        _ when IsUnder(path, "/checkpoint") => ["checkpoint"],
        _ when IsUnder(path, "/pods") => ["pods", "proxy"],
        _ when IsUnder(path, "/healthz") => ["healthz", "proxy"],
        _ when IsUnder(path, "/configz") => ["configz", "proxy"],
        _ => ["proxy"],
    };

    /// <summary>The path is <paramref name="root"/> or below it (upstream isSubpath).</summary>
    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
}
