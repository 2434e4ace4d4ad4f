using K8sSharp.Client.CommandLine;

namespace K8sSharp.Scheduler.Hosting;

/// <summary>
/// Command line of k8ssharp-scheduler: <c>--kubeconfig &lt;path&gt;</c> (default <c>.k8ssharp/kubeconfig</c>,
/// the admin kubeconfig `make up` writes; the API server address and port come only from it), <c>--port</c>
/// (10259, the upstream kube-scheduler port) for <c>/healthz</c> and <c>/metrics</c> on 127.0.0.1, plain HTTP for now,
/// <c>--leader-elect-resource-name</c> (upstream's flag; Lease kube-system/kube-scheduler) and <c>--scheduler-name</c>
/// (the spec.schedulerName served, default-scheduler; upstream sets it in a profile of its config file), so a second
/// scheduler (e.g. the benchmark's) can run beside the cluster's own.
/// </summary>
internal sealed record SchedulerOptions(string Kubeconfig, int Port, string LeaseName = SchedulerOptions.DefaultLeaseName, string SchedulerName = SchedulerOptions.DefaultSchedulerName)
{
    public const string DefaultKubeconfig = ".k8ssharp/kubeconfig";
    public const int DefaultPort = 10259;
    public const string DefaultLeaseName = "kube-scheduler";
    public const string DefaultSchedulerName = Framework.Profile.DefaultSchedulerName;

    public static SchedulerOptions Parse(IReadOnlyList<string> args)
        => Flag.Parse(args, new SchedulerOptions(DefaultKubeconfig, DefaultPort), static (options, flag) => flag.Name switch
        {
            "--kubeconfig" => options with { Kubeconfig = flag.Value() },
            "--port" => options with { Port = flag.Number() },
            "--leader-elect-resource-name" => options with { LeaseName = flag.Value() },
            "--scheduler-name" => options with { SchedulerName = flag.Value() },
            _ => throw flag.Unknown("--kubeconfig <path>, --port <port>, --leader-elect-resource-name <lease>, --scheduler-name <name>"),
        });
}
