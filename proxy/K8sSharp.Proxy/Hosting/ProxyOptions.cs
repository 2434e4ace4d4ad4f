using System.Globalization;
using System.Net;
using K8sSharp.Client.CommandLine;

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

    private const string KnownFlags = "--kubeconfig, --hostname-override, --cluster-cidr, --service-cidr, --metrics-bind-address, "
        + "--healthz-bind-address, --sync-period, --min-sync-period, --bind-address, --cluster-domain, --cluster-dns, --dns-bind, "
        + "--resolv-conf, --cleanup";

    public static ProxyOptions Parse(IReadOnlyList<string> args)
        => Flag.Parse(args, new ProxyOptions(), static (options, flag) => flag.Name switch
        {
            "--kubeconfig" => options with { Kubeconfig = flag.Value() },
            "--hostname-override" => options with { HostnameOverride = flag.Value().ToLowerInvariant() },
            "--cluster-cidr" => options with { ClusterCidr = Cidr(flag.Value()) },
            "--service-cidr" => options with { ServiceCidr = Cidr(flag.Value()) },
            "--metrics-bind-address" => options with { MetricsBindAddress = IPEndPoint.Parse(flag.Value()) },
            "--healthz-bind-address" => options with { HealthzBindAddress = IPEndPoint.Parse(flag.Value()) },
            "--sync-period" => options with { SyncPeriod = flag.Duration() },
            "--min-sync-period" => options with { MinSyncPeriod = flag.Duration() },
            "--bind-address" => options with { BindAddress = IPAddress.Parse(flag.Value()) },
            "--cluster-domain" => options with { ClusterDomain = flag.Value().TrimEnd('.') },
            "--cluster-dns" => options with { ClusterDns = IPAddress.Parse(flag.Value()) },
            "--dns-bind" => options with { DnsBind = HostPort(flag.Value()) },
            "--resolv-conf" => options with { ResolvConf = flag.Value() },
            "--cleanup" => options with { Cleanup = flag.Switch() },
            _ => throw flag.Unknown(KnownFlags),
        });

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
}
