namespace K8sSharp.ApiServer.Hosting;

/// <summary>
/// Command-line options of k8ssharp-apiserver, with the defaults of a single-node cluster in one place:
/// <c>--data-dir .k8ssharp</c>, <c>--storage etcd</c>, <c>--etcd-servers http://127.0.0.1:2379</c>,
/// <c>--secure-port 6443</c>, <c>--bind-address 0.0.0.0</c> (pods reach the API server through the host's address),
/// <c>--advertise-address</c> the host's primary IPv4 address (the endpoint of the <c>kubernetes</c> Service).
/// </summary>
internal sealed record ServerOptions(string DataDirectory, string Storage, string EtcdServers, int SecurePort, string BindAddress,
    string? AdvertiseAddressOverride = null)
{
    /// <summary>
    /// How often the resource metrics (metrics.k8s.io) are scraped from the kubelets: <c>--metric-resolution</c>, as
    /// metrics-server's flag (<c>10s</c>, <c>500ms</c>, <c>1m</c>); 10 s here (metrics-server: 15 s) so <c>kubectl top</c>
    /// has its two samples sooner.
    /// </summary>
    public TimeSpan MetricResolution { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where in-cluster clients reach this server; a test server on loopback advertises loopback.</summary>
    public string AdvertiseAddress => AdvertiseAddressOverride
        ?? (System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(BindAddress)) ? BindAddress : HostAddress.Primary());

    public static ServerOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}'; options look like --name value or --name=value");
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[arg[2..eq]] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                values[arg[2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"option '{arg}' needs a value");
            }
        }
        var options = new ServerOptions(
            values.GetValueOrDefault("data-dir", ".k8ssharp"),
            values.GetValueOrDefault("storage", "etcd"),
            values.GetValueOrDefault("etcd-servers", "http://127.0.0.1:2379"),
            int.Parse(values.GetValueOrDefault("secure-port", "6443"), System.Globalization.CultureInfo.InvariantCulture),
            values.GetValueOrDefault("bind-address", "0.0.0.0"),
            values.GetValueOrDefault("advertise-address"))
        {
            MetricResolution = values.TryGetValue("metric-resolution", out var resolution) ? ShortDuration(resolution) : TimeSpan.FromSeconds(10),
        };
        return options.Storage is "etcd" or "memory"
            ? options
            : throw new ArgumentException($"--storage must be 'etcd' or 'memory', not '{options.Storage}'");
    }

    private static TimeSpan ShortDuration(string text)
    {
        var unit = text.EndsWith("ms", StringComparison.Ordinal) ? "ms" : text.Length > 0 ? text[^1..] : string.Empty;
        var valid = double.TryParse(text[..^unit.Length], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var n);
        return (valid, unit) switch
        {
            (true, "ms") when n > 0 => TimeSpan.FromMilliseconds(n),
            (true, "s") when n > 0 => TimeSpan.FromSeconds(n),
            (true, "m") when n > 0 => TimeSpan.FromMinutes(n),
            _ => throw new ArgumentException($"--metric-resolution must be a positive duration such as 10s, 500ms or 1m, not '{text}'"),
        };
    }
}
