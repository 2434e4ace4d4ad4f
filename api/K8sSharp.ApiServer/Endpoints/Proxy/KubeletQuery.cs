namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>
/// The query strings the kubelet's server reads, made from the API request's options as upstream's
/// <c>LogLocation</c>/<c>streamLocation</c> do: log options pass through by name; exec/attach streams become
/// <c>input</c>, <c>output</c>, <c>error</c> and <c>tty</c> flags, with each <c>command</c> argument repeated.
/// </summary>
internal static class KubeletQuery
{
    private static readonly string[] LogOptions = ["follow", "previous", "timestamps", "tailLines", "sinceSeconds", "sinceTime", "limitBytes", "insecureSkipTLSVerifyBackend"];

    public static QueryString Logs(IQueryCollection query) =>
        QueryString.Create(LogOptions.Where(query.ContainsKey).Select(o => new KeyValuePair<string, string?>(o, query[o].ToString())));

    public static QueryString Stream(IQueryCollection query)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (option, flag) in new[] { ("stdin", "input"), ("stdout", "output"), ("stderr", "error"), ("tty", "tty") })
        {
            if (query[option].ToString() is "true" or "1")
            {
                pairs.Add(new(flag, "1"));
            }
        }
        pairs.AddRange(query["command"].Select(c => new KeyValuePair<string, string?>("command", c)));
        return QueryString.Create(pairs);
    }
}
