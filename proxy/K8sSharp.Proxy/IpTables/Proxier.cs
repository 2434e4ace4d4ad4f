using K8sSharp.Proxy.Health;
using K8sSharp.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// One sync, level-triggered: read the current services from the informers' caches, generate the complete ruleset,
/// apply it with one iptables-restore (atomic per table), then make sure the jump rules into our chains are in place.
/// Chains of ours that the kernel holds but the new ruleset does not write are deleted in the same restore.
/// </summary>
internal sealed partial class Proxier(
    ProxierConfig config,
    IpTablesClient iptables,
    Func<IReadOnlyList<ProxiedServicePort>> currentPorts,
    ProxyHealth health,
    ProxyMetrics metrics,
    TimeProvider time,
    ILogger<Proxier> logger)
{
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var ports = currentPorts();
        var existing = await iptables.ListChainsAsync("nat", cancellationToken);
        var rules = RuleSetWriter.Write(config, ports, existing);
        await iptables.RestoreAsync(rules.Text, cancellationToken);
        foreach (var jump in JumpRule.All)
        {
            await iptables.EnsureJumpAsync(jump, cancellationToken);
        }
        var elapsed = time.GetElapsedTime(started);
        metrics.Synced(elapsed, time.GetUtcNow(), rules.Filter.RuleCount, rules.Nat.RuleCount);
        health.Updated();
        LogSynced(logger, ports.Count, rules.Filter.RuleCount, rules.Nat.RuleCount, elapsed.TotalMilliseconds);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "synced {Ports} service ports: {FilterRules} filter and {NatRules} nat rules in {Milliseconds:F1} ms")]
    private static partial void LogSynced(ILogger logger, int ports, int filterRules, int natRules, double milliseconds);
}
