using K8sSharp.Client.CommandLine;

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
        => Flag.Parse(args, new KubeletOptions(), static (options, flag) => flag.Name switch
        {
            "--kubeconfig" => options with { Kubeconfig = flag.Value() },
            "--node-name" => options with { NodeName = flag.Value() },
            "--port" => options with { Port = flag.Number() },
            "--healthz-port" => options with { HealthzPort = flag.Number() },
            "--root-dir" => options with { RootDir = flag.Value() },
            "--pod-log-dir" => options with { PodLogDir = flag.Value() },
            "--cluster-dns" => options with { ClusterDns = flag.Value() },
            "--cluster-domain" => options with { ClusterDomain = flag.Value() },
            "--cni-bin-dir" => options with { CniBinDir = flag.Value() },
            "--cni-bridge" => options with { CniBridge = flag.Value() },
            "--docker-endpoint" => options with { DockerEndpoint = flag.Value() },
            "--local-path-dir" => options with { LocalPathDir = flag.Value() },
            _ => throw flag.Unknown("--kubeconfig, --node-name, --port, --healthz-port, --root-dir, --pod-log-dir, --cluster-dns, --cluster-domain, --cni-bin-dir, --cni-bridge, --docker-endpoint, --local-path-dir"),
        });
}
