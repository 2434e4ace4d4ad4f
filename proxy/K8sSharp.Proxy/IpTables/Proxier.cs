using K8sSharp.Proxy.Conntrack;
using K8sSharp.Proxy.Health;
using K8sSharp.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// One sync, level-triggered, as upstream's syncProxyRules: read the current services from the informers' caches,
/// generate the complete ruleset, apply it with one iptables-restore (atomic per table), then delete the UDP conntrack
/// entries the change made stale.
/// <para>A full sync (the first one, the first after a failure, and one every <see cref="ProxierConfig.FullSyncPeriod"/>)
/// writes every chain, deletes every chain of ours the kernel holds but the ruleset does not write (one iptables-save),
/// and makes sure the jump rules into our chains are first in their built-in chains. Any other sync is partial: it rewrites only the
/// per-service chains whose rules changed since the last successful sync, deletes the ones that sync wrote and this
/// one does not, and runs no other iptables command.</para>
/// </summary>
internal sealed partial class Proxier(
    ProxierConfig config,
    IpTablesClient iptables,
    ConntrackCleaner conntrack,
    Func<IReadOnlyList<ProxiedServicePort>> currentPorts,
    ProxyHealth health,
    ProxyMetrics metrics,
    TimeProvider time,
    ILogger<Proxier> logger)
{
    /// <summary>The per-service chains the kernel holds since the last successful sync; null = the next sync is full.</summary>
    private Dictionary<string, IReadOnlyList<string>>? written;

    private IReadOnlyList<ProxiedServicePort> lastPorts = [];

    private readonly PortRulesCache ruleCache = new();

    /// <summary>The service ports the last successful sync programmed.</summary>
    public IReadOnlyList<ProxiedServicePort> LastSynced => lastPorts;

    private long lastFullSync;

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var full = written is null || time.GetElapsedTime(lastFullSync) >= config.FullSyncPeriod;
        var ports = currentPorts();
        var existing = full ? await iptables.ListChainsAsync("nat", cancellationToken) : [.. written!.Keys];
        var rules = RuleSetWriter.Write(config, ports, existing, ruleCache);
        try
        {
            await iptables.RestoreAsync(rules.Render(full ? null : rules.UnchangedSince(written!)), cancellationToken);
            if (full)
            {
                await iptables.EnsureJumpsFirstAsync(JumpRule.All, cancellationToken);
            }
        }
        catch
        {
            written = null;
            throw;
        }
        written = rules.ServiceChains();
        if (full)
        {
            lastFullSync = started;
        }
        await conntrack.CleanAsync(ConntrackCleanup.Decide(lastPorts, ports, config.NodeName), cancellationToken);
        lastPorts = ports;
        var elapsed = time.GetElapsedTime(started);
        metrics.Synced(full, elapsed, time.GetUtcNow(), rules.Filter.RuleCount, rules.Nat.RuleCount);
        health.Updated();
        LogSynced(logger, full ? "full" : "partial", ports.Count, rules.Filter.RuleCount, rules.Nat.RuleCount, elapsed.TotalMilliseconds);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "{Kind} sync of {Ports} service ports: {FilterRules} filter and {NatRules} nat rules in {Milliseconds:F1} ms")]
    private static partial void LogSynced(ILogger logger, string kind, int ports, int filterRules, int natRules, double milliseconds);
}
