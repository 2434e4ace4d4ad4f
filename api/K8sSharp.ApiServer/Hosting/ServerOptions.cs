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
            values.GetValueOrDefault("advertise-address"));
        return options.Storage is "etcd" or "memory"
            ? options
            : throw new ArgumentException($"--storage must be 'etcd' or 'memory', not '{options.Storage}'");
    }
}
