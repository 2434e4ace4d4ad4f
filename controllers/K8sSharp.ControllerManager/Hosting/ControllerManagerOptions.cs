using K8sSharp.Client.CommandLine;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// Command line of k8ssharp-controller-manager: <c>--kubeconfig &lt;path&gt;</c> (default <c>.k8ssharp/kubeconfig</c>,
/// the admin kubeconfig `make up` writes; the API server address and port come only from it) and <c>--port</c>
/// (10257, the upstream kube-controller-manager port) for <c>/healthz</c> on 127.0.0.1, plain HTTP for now.
/// Controller settings keep upstream's flag names: <c>--cluster-cidr</c> and <c>--node-cidr-mask-size</c> (node IPAM;
/// the cluster's pod CIDR 10.244.0.0/16 and a /24 per node), <c>--node-monitor-grace-period</c> (40s) and
/// <c>--node-startup-grace-period</c> (60s) for node lifecycle; durations as Go writes them (40s, 2m, 1m30s).
/// <c>--resource-quota-sync-period</c> (5m) is how often quota usage is recalculated in full.
/// <c>--local-path-dir</c> (default /var/lib/k8ssharp/local-path) is where the local-path provisioner puts volume
/// directories on nodes; it must equal the kubelets' <c>--local-path-dir</c>, which create and remove them.
/// The HPA controller's <c>--horizontal-pod-autoscaler-*</c> flags keep upstream's names and defaults (sync-period 15s,
/// downscale-stabilization 5m, tolerance 0.1, cpu-initialization-period 5m, initial-readiness-delay 30s).
/// </summary>
internal sealed record ControllerManagerOptions(string Kubeconfig, int Port)
{
    public const string DefaultKubeconfig = ".k8ssharp/kubeconfig";
    public const int DefaultPort = 10257;

    public string ClusterCidr { get; init; } = "10.244.0.0/16";

    public int NodeCidrMaskSize { get; init; } = 24;

    /// <summary>How long a node may go without a status or Lease renewal before its conditions turn Unknown.</summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>The same for a node that never posted a Ready condition, counted from its creation.</summary>
    public TimeSpan NodeStartupGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Base directory, on the nodes, of local-path volumes.</summary>
    public string LocalPathDir { get; init; } = "/var/lib/k8ssharp/local-path";

    /// <summary>How often every ResourceQuota's usage is recalculated in full (upstream's --resource-quota-sync-period).</summary>
    public TimeSpan ResourceQuotaSyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The HorizontalPodAutoscaler controller's settings.</summary>
    public PodAutoscaling.HorizontalOptions Horizontal { get; init; } = new();

    public static ControllerManagerOptions Parse(IReadOnlyList<string> args)
        => Flag.Parse(args, new ControllerManagerOptions(DefaultKubeconfig, DefaultPort), static (options, flag) => flag.Name switch
        {
            "--kubeconfig" => options with { Kubeconfig = flag.Value() },
            "--port" => options with { Port = flag.Number() },
            "--cluster-cidr" => options with { ClusterCidr = flag.Value() },
            "--node-cidr-mask-size" => options with { NodeCidrMaskSize = flag.Number() },
            "--node-monitor-grace-period" => options with { NodeMonitorGracePeriod = flag.Duration() },
            "--node-startup-grace-period" => options with { NodeStartupGracePeriod = flag.Duration() },
            "--local-path-dir" => options with { LocalPathDir = flag.Value() },
            "--resource-quota-sync-period" => options with { ResourceQuotaSyncPeriod = flag.Duration() },
            "--horizontal-pod-autoscaler-sync-period" => options with { Horizontal = options.Horizontal with { SyncPeriod = flag.Duration() } },
            "--horizontal-pod-autoscaler-downscale-stabilization" =>
                options with { Horizontal = options.Horizontal with { DownscaleStabilization = flag.Duration() } },
            "--horizontal-pod-autoscaler-tolerance" => options with { Horizontal = options.Horizontal with { Tolerance = flag.Fraction() } },
            "--horizontal-pod-autoscaler-cpu-initialization-period" =>
                options with { Horizontal = options.Horizontal with { CpuInitializationPeriod = flag.Duration() } },
            "--horizontal-pod-autoscaler-initial-readiness-delay" =>
                options with { Horizontal = options.Horizontal with { InitialReadinessDelay = flag.Duration() } },
            _ => throw flag.Unknown("--kubeconfig <path>, --port <port>, --cluster-cidr <cidr>, --node-cidr-mask-size <bits>, "
                + "--node-monitor-grace-period <duration>, --node-startup-grace-period <duration>, --local-path-dir <path>, "
                + "--resource-quota-sync-period <duration>, --horizontal-pod-autoscaler-{sync-period,downscale-stabilization,cpu-initialization-period,initial-readiness-delay} <duration>, "
                + "--horizontal-pod-autoscaler-tolerance <fraction>"),
        });
}
