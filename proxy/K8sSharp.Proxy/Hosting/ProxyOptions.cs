using System.Globalization;
using System.Net;

namespace K8sSharp.Proxy.Hosting;

/// <summary>
/// Command line of k8ssharp-proxy, upstream kube-proxy's flags where they exist: <c>--kubeconfig</c>,
/// <c>--hostname-override</c>, <c>--cluster-cidr</c>, <c>--metrics-bind-address</c> (127.0.0.1:10249),
/// <c>--healthz-bind-address</c> (0.0.0.0:10256), <c>--sync-period</c> (30s), <c>--min-sync-period</c> (1s),
/// <c>--bind-address</c> (this node's IP when no Node object says otherwise), <c>--cleanup</c>. Ours:
/// <c>--service-cidr</c> (10.96.0.0/12), <c>--cluster-domain</c> (cluster.local), <c>--cluster-dns</c> (10.96.0.10, the
/// kube-dns Service's IP), <c>--dns-bind</c> (<c>[ip]:port</c>; no ip = the node IP; default port 53),
/// <c>--resolv-conf</c> (/etc/resolv.conf, the upstream resolvers for other names).
/// </summary>
internal sealed record ProxyOptions
{
    public string Kubeconfig { get; init; } = ".k8ssharp/kubeconfig";

    public string HostnameOverride { get; init; } = Environment.MachineName.ToLowerInvariant();

    public string ClusterCidr { get; init; } = "10.244.0.0/16";

    public string ServiceCidr { get; init; } = "10.96.0.0/12";

    public IPEndPoint MetricsBindAddress { get; init; } = new(IPAddress.Loopback, 10249);

    public IPEndPoint HealthzBindAddress { get; init; } = new(IPAddress.Any, 10256);

    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MinSyncPeriod { get; init; } = TimeSpan.FromSeconds(1);

    public IPAddress? BindAddress { get; init; }

    public string ClusterDomain { get; init; } = "cluster.local";

    public IPAddress ClusterDns { get; init; } = IPAddress.Parse("10.96.0.10");

    /// <summary>Null address: listen on the node IP.</summary>
    public (IPAddress? Address, int Port) DnsBind { get; init; } = (null, 53);

    public string ResolvConf { get; init; } = "/etc/resolv.conf";

    public bool Cleanup { get; init; }

    public static ProxyOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new ProxyOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = SplitFlag(args[i]);
            string Value() => inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"{flag} needs a value"));
            options = flag switch
            {
                "--kubeconfig" => options with { Kubeconfig = Value() },
                "--hostname-override" => options with { HostnameOverride = Value().ToLowerInvariant() },
                "--cluster-cidr" => options with { ClusterCidr = Cidr(Value()) },
                "--service-cidr" => options with { ServiceCidr = Cidr(Value()) },
                "--metrics-bind-address" => options with { MetricsBindAddress = IPEndPoint.Parse(Value()) },
                "--healthz-bind-address" => options with { HealthzBindAddress = IPEndPoint.Parse(Value()) },
                "--sync-period" => options with { SyncPeriod = Duration(Value()) },
                "--min-sync-period" => options with { MinSyncPeriod = Duration(Value()) },
                "--bind-address" => options with { BindAddress = IPAddress.Parse(Value()) },
                "--cluster-domain" => options with { ClusterDomain = Value().TrimEnd('.') },
                "--cluster-dns" => options with { ClusterDns = IPAddress.Parse(Value()) },
                "--dns-bind" => options with { DnsBind = HostPort(Value()) },
                "--resolv-conf" => options with { ResolvConf = Value() },
                "--cleanup" => options with { Cleanup = inline is null || bool.Parse(inline) },
                _ => throw new ArgumentException($"unknown option {flag}"),
            };
        }
        return options;
    }

    /// <summary>A Go duration of one unit: 500ms, 30s, 1m, 1h.</summary>
    public static TimeSpan Duration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.TrimStart("0123456789.".ToCharArray());
        var value = double.Parse(text[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => throw new FormatException($"bad duration \"{text}\" (use e.g. 30s, 1m)"),
        };
    }

    private static string Cidr(string text) =>
        IPNetwork.TryParse(text, out var network) ? network.ToString() : throw new FormatException($"bad CIDR \"{text}\"");

    private static (IPAddress?, int) HostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            throw new FormatException($"bad address \"{text}\" (use [ip]:port)");
        }
        var host = text[..colon];
        return (host.Length == 0 ? null : IPAddress.Parse(host), int.Parse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }
}
