using System.Globalization;

namespace K8sSharp.Scheduler.Hosting;

/// <summary>
/// Command line of k8ssharp-scheduler: <c>--kubeconfig &lt;path&gt;</c> (default <c>.k8ssharp/kubeconfig</c>,
/// the admin kubeconfig `make up` writes; the API server address and port come only from it) and <c>--port</c>
/// (10259, the upstream kube-scheduler port) for <c>/healthz</c> and <c>/metrics</c> on 127.0.0.1, plain HTTP for now.
/// </summary>
internal sealed record SchedulerOptions(string Kubeconfig, int Port)
{
    public const string DefaultKubeconfig = ".k8ssharp/kubeconfig";
    public const int DefaultPort = 10259;

    public static SchedulerOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var kubeconfig = DefaultKubeconfig;
        var port = DefaultPort;
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = SplitFlag(args[i]);
            string Value() => inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"{flag} needs a value"));
            switch (flag)
            {
                case "--kubeconfig":
                    kubeconfig = Value();
                    break;
                case "--port":
                    port = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown option {flag} (known: --kubeconfig <path>, --port <port>)");
            }
        }
        return new SchedulerOptions(kubeconfig, port);
    }

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }
}
