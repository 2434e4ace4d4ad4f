using System.Globalization;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// Command line of k8ssharp-controller-manager: <c>--kubeconfig &lt;path&gt;</c> (default <c>.k8ssharp/kubeconfig</c>,
/// the admin kubeconfig `make up` writes; the API server address and port come only from it) and <c>--port</c>
/// (10257, the upstream kube-controller-manager port) for <c>/healthz</c> on 127.0.0.1, plain HTTP for now.
/// </summary>
internal sealed record ControllerManagerOptions(string Kubeconfig, int Port)
{
    public const string DefaultKubeconfig = ".k8ssharp/kubeconfig";
    public const int DefaultPort = 10257;

    public static ControllerManagerOptions Parse(IReadOnlyList<string> args)
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
        return new ControllerManagerOptions(kubeconfig, port);
    }

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }
}
