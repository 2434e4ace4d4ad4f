namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>
/// The name segment of a proxy URL: <c>[scheme:]name[:port]</c> (<c>https:web:8443</c>, <c>web:http</c>, <c>web</c>),
/// as upstream's <c>SplitSchemeNamePort</c>; only http and https are schemes.
/// </summary>
internal static class ProxyName
{
    public static (string? Scheme, string Name, string? Port) Parse(string segment)
    {
        var parts = segment.Split(':');
        return parts switch
        {
            [var name] => (null, name, null),
            [var name, var port] => (null, name, Port(port)),
            ["http" or "https", var name, var port] => (parts[0], name, Port(port)),
            _ => throw K8sSharp.Api.Meta.ApiException.BadRequest($"invalid proxy name \"{segment}\": expected [scheme:]name[:port]"),
        };
    }

    private static string? Port(string port) => port.Length == 0 ? null : port;
}

/// <summary>The path after <c>.../{name}/proxy</c>, keeping a trailing slash (web UIs depend on it); "/" when empty.</summary>
internal static class ProxyPath
{
    public static string After(PathString requestPath)
    {
        var path = requestPath.Value ?? string.Empty;
        var marker = path.IndexOf("/proxy", StringComparison.Ordinal);
        while (marker >= 0 && marker + 6 < path.Length && path[marker + 6] != '/')
        {
            marker = path.IndexOf("/proxy", marker + 6, StringComparison.Ordinal);
        }
        var rest = marker < 0 ? string.Empty : path[(marker + 6)..];
        return rest.Length == 0 ? "/" : rest;
    }
}
