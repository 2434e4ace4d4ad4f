namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// What a resource URL addresses, parsed like upstream's <c>RequestInfoFactory</c>:
/// <c>/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}</c>, <c>/apis/{group}/{version}/...</c>, and the
/// legacy <c>/watch/</c> prefix. The verb follows from the method, the name and <c>?watch</c>.
/// </summary>
internal sealed record RequestInfo(string Verb, string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource, string? SubPath)
{
    private static readonly HashSet<string> NamespaceSubresources = new(StringComparer.Ordinal) { "status", "finalize" };

    /// <summary>Parses the path segments after <c>/api</c> or <c>/apis</c>; null when it is not a resource URL.</summary>
    public static RequestInfo? Parse(string method, string path, bool watchQuery)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        (string group, string version, List<string> rest) = parts switch
        {
            ["api", var v, .. var r] => ("", v, r.ToList()),
            ["apis", var g, var v, .. var r] => (g, v, r.ToList()),
            _ => (string.Empty, string.Empty, new List<string>()),
        };
        if (rest.Count == 0)
        {
            return null;
        }
        var watchPrefix = rest[0] == "watch";
        if (watchPrefix)
        {
            rest.RemoveAt(0);
        }
        string? ns = null;
        if (rest.Count >= 2 && rest[0] == "namespaces")
        {
            ns = rest[1];
            if (rest.Count > 2 && !NamespaceSubresources.Contains(rest[2]))
            {
                rest = rest.Skip(2).ToList();
            }
        }
        if (rest.Count == 0)
        {
            return null;
        }
        var name = rest.Count > 1 ? rest[1] : null;
        var subresource = rest.Count > 2 ? rest[2] : null;
        var subPath = rest.Count > 3 ? string.Join('/', rest.Skip(3)) : null;
        var verb = VerbOf(method, name is not null, watchPrefix || watchQuery);
        return new RequestInfo(verb, group, version, ns, rest[0], name, subresource, subPath);
    }

    private static string VerbOf(string method, bool hasName, bool watch) => method switch
    {
        "GET" or "HEAD" when watch => "watch",
        "GET" or "HEAD" => hasName ? "get" : "list",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => hasName ? "delete" : "deletecollection",
        _ => method.ToLowerInvariant(),
    };
}
