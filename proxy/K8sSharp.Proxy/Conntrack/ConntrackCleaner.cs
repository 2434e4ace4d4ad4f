using K8sSharp.Proxy.IpTables;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.Conntrack;

/// <summary>
/// Runs the deletions <see cref="ConntrackCleanup"/> decided with the conntrack tool (Debian package conntrack). Best
/// effort, as upstream: a failure is logged and the sync goes on (the entries time out by themselves eventually);
/// "0 flow entries have been deleted" (exit status 1) is success.
/// </summary>
internal sealed partial class ConntrackCleaner(CommandRunner runner, ILogger<ConntrackCleaner> logger)
{
    public async Task CleanAsync(IReadOnlyList<ConntrackDeletion> deletions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deletions);
        foreach (var deletion in deletions)
        {
            var args = deletion.Arguments();
            try
            {
                var result = await runner.RunAsync("conntrack", args, null, cancellationToken);
                if (result.ExitCode != 0 && !result.Error.Contains("0 flow entries", StringComparison.Ordinal))
                {
                    LogFailed(logger, string.Join(' ', args), result.Error.Trim());
                }
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                LogFailed(logger, string.Join(' ', args), e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Warning, Message = "conntrack {Arguments} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string arguments, string error);
}
