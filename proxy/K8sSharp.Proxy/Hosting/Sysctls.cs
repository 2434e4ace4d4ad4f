using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.Hosting;

/// <summary>
/// The kernel settings the rules depend on, as upstream sets them: route_localnet (node ports on 127.0.0.1 can be
/// DNATed to pods), bridge-nf-call-iptables (bridged pod-to-pod traffic passes our rules) and ip_forward.
/// </summary>
internal static partial class Sysctls
{
    private static readonly string[] Required =
    [
        "/proc/sys/net/ipv4/conf/all/route_localnet",
        "/proc/sys/net/bridge/bridge-nf-call-iptables",
        "/proc/sys/net/ipv4/ip_forward",
    ];

    public static void Enable(ILogger logger)
    {
        foreach (var path in Required)
        {
            try
            {
                if (File.ReadAllText(path).Trim() != "1")
                {
                    File.WriteAllText(path, "1");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogCannotSet(logger, path, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "cannot set {Path} to 1: {Reason}")]
    private static partial void LogCannotSet(ILogger logger, string path, string reason);
}
