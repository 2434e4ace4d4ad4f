using System.Globalization;

namespace K8sSharp.Kubelet.Hosting;

/// <summary>
/// Command line of k8ssharp-kubelet (upstream flag names): <c>--kubeconfig</c> (.k8ssharp/kubeconfig),
/// <c>--node-name</c> (the machine's hostname), <c>--port</c> (10250, the HTTPS server: logs, exec, port-forward, stats),
/// <c>--healthz-port</c> (10248, plain HTTP /healthz on 127.0.0.1),
/// <c>--root-dir</c> (.k8ssharp/kubelet), <c>--pod-log-dir</c> (/var/log/pods), <c>--cluster-dns</c> (10.96.0.10),
/// <c>--cluster-domain</c> (cluster.local), <c>--cni-bin-dir</c> (/usr/lib/cni), <c>--cni-bridge</c> (cni0),
/// <c>--docker-endpoint</c> (unix:///var/run/docker.sock), <c>--local-path-dir</c> (/var/lib/k8ssharp/local-path: where
/// the local-path provisioner's volumes live on this node; the same value as the controller-manager's).
/// </summary>
internal sealed record KubeletOptions
{
    public string Kubeconfig { get; init; } = ".k8ssharp/kubeconfig";

    public string NodeName { get; init; } = Environment.MachineName.ToLowerInvariant();

    public int Port { get; init; } = 10250;

    public int HealthzPort { get; init; } = 10248;

    public string RootDir { get; init; } = ".k8ssharp/kubelet";

    public string PodLogDir { get; init; } = "/var/log/pods";

    public string ClusterDns { get; init; } = "10.96.0.10";

    public string ClusterDomain { get; init; } = "cluster.local";

    public string CniBinDir { get; init; } = "/usr/lib/cni";

    public string CniBridge { get; init; } = "cni0";

    public string DockerEndpoint { get; init; } = "unix:///var/run/docker.sock";

    public string LocalPathDir { get; init; } = "/var/lib/k8ssharp/local-path";

    public static KubeletOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new KubeletOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var eq = args[i].IndexOf('=', StringComparison.Ordinal);
            var flag = eq < 0 ? args[i] : args[i][..eq];
            var inline = eq < 0 ? null : args[i][(eq + 1)..];
            string Value() => inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"{flag} needs a value"));
            options = flag switch
            {
                "--kubeconfig" => options with { Kubeconfig = Value() },
                "--node-name" => options with { NodeName = Value() },
                "--port" => options with { Port = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--healthz-port" => options with { HealthzPort = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--root-dir" => options with { RootDir = Value() },
                "--pod-log-dir" => options with { PodLogDir = Value() },
                "--cluster-dns" => options with { ClusterDns = Value() },
                "--cluster-domain" => options with { ClusterDomain = Value() },
                "--cni-bin-dir" => options with { CniBinDir = Value() },
                "--cni-bridge" => options with { CniBridge = Value() },
                "--docker-endpoint" => options with { DockerEndpoint = Value() },
                "--local-path-dir" => options with { LocalPathDir = Value() },
                _ => throw new ArgumentException($"unknown option {flag} (known: --kubeconfig, --node-name, --port, --healthz-port, --root-dir, --pod-log-dir, --cluster-dns, --cluster-domain, --cni-bin-dir, --cni-bridge, --docker-endpoint, --local-path-dir)"),
            };
        }
        return options;
    }
}
