using System.Diagnostics;
using K8sSharp.Proxy.Conntrack;
using K8sSharp.Proxy.Health;
using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Bench;

/// <summary>
/// Proxy sync for 1,000 Services with 2 endpoints each, in-process through the proxy's own sync path (model → rule
/// generator → iptables-save / iptables-restore / jump checks, exactly what a sync runs), applied inside a network
/// namespace made for the run (the host's rules are never touched) and deleted at the end. Baseline: a raw
/// <c>iptables-restore --noflush</c> of the identical text in the same kind of namespace, starting from the same state.
/// Full sync: from an empty namespace. Partial sync: after one endpoint of one Service changed, against the raw
/// restore of the same partial input on top of the same full ruleset. The generator is warmed up first (a running
/// proxy syncs over and over; the first sync after a start also pays JIT compilation, some 50 ms here), and each timed
/// step starts from a collected heap on both sides (not carrying the bench's own garbage).
/// </summary>
internal sealed partial class Scenarios
{
    private const int ProxyServices = 1000;

    public async Task ProxySyncAsync()
    {
        if (Environment.UserName != "root")
        {
            report.Note("proxy sync: needs root (network namespaces, iptables), not measured.");
            return;
        }
        var netns = $"k8ss-{run}";
        var config = new ProxierConfig("bench-node", "10.244.0.0/16", "10.96.0.0/12") { FullSyncPeriod = TimeSpan.FromHours(1) };
        var before = ProxyPorts(changed: false);
        var after = ProxyPorts(changed: true);
        var full = RuleSetWriter.Write(config, before, []);
        var partial = RuleSetWriter.Write(config, after, full.ServiceChains().Keys);
        var partialText = partial.Render(partial.UnchangedSince(full.ServiceChains()));
        // A running proxy syncs again and again: measure its steady state, not the first sync's JIT compilation.
        var warmCache = new PortRulesCache();
        for (var i = 0; i < 5; i++)
        {
            var warm = RuleSetWriter.Write(config, i % 2 == 0 ? after : before, full.ServiceChains().Keys, warmCache);
            _ = warm.Render(warm.UnchangedSince(full.ServiceChains()));
        }
        List<double> fullBase = [], fullOurs = [], partialBase = [], partialOurs = [];
        try
        {
            for (var rep = 1; rep <= options.Reps; rep++)
            {
                var iptables = await FreshNamespaceAsync(netns);
                fullBase.Add(await TimeAsync(() => iptables.RestoreAsync(full.Text, CancellationToken.None)));
                partialBase.Add(await TimeAsync(() => iptables.RestoreAsync(partialText, CancellationToken.None)));

                iptables = await FreshNamespaceAsync(netns);
                var current = before;
                var proxier = NewProxier(config, iptables, netns, () => current);
                fullOurs.Add(await TimeAsync(() => proxier.SyncAsync(CancellationToken.None)));
                current = after;
                partialOurs.Add(await TimeAsync(() => proxier.SyncAsync(CancellationToken.None)));
            }
        }
        finally
        {
            await RunAsync("ip", "netns", "delete", netns);
        }
        var rules = $"{full.Filter.RuleCount + full.Nat.RuleCount} rules";
        // The proxier's own path: the previous sync's rules cached, then the changed ports written through the cache.
        var cache = new PortRulesCache();
        var previous = RuleSetWriter.Write(config, before, [], cache).ServiceChains();
        var generate = await TimeAsync(() =>
        {
            var next = RuleSetWriter.Write(config, after, previous.Keys, cache);
            _ = next.Render(next.UnchangedSince(previous));
            return Task.CompletedTask;
        });
        report.Note($"proxy sync: generating the partial input in-process (no iptables), as the proxier does, takes {Summary.Num(generate)} ms of ours.");
        report.Add(new Row($"proxy sync, {ProxyServices} Services x 2 endpoints", "full sync", "ms", "iptables-restore", new Summary([.. fullBase]),
            new Summary([.. fullOurs]), Goal.AtMost(1.5), $"{rules}; ours adds iptables-save and the jump checks"));
        report.Add(new Row($"proxy sync, {ProxyServices} Services x 2 endpoints", "1 endpoint changed", "ms", "iptables-restore", new Summary([.. partialBase]),
            new Summary([.. partialOurs]), Goal.AtMost(1.5), $"partial input {partialText.Split('\n').Length} lines"));
    }

    /// <summary>Service i: 10.96.(i/250).(i%250+1):80 → 10.244.(i/100).(i%100*2+1|+2):8080; <paramref name="changed"/> moves
    /// service 500's second endpoint.</summary>
    private static List<ProxiedServicePort> ProxyPorts(bool changed) =>
        [.. Enumerable.Range(0, ProxyServices).Select(i => new ProxiedServicePort
        {
            Name = new ServicePortName("bench", $"svc-{i:D4}", "http", "tcp"),
            ClusterIp = $"10.96.{i / 250}.{(i % 250) + 1}",
            Port = 80,
            Endpoints =
            [
                new ServiceEndpoint($"10.244.{i / 100}.{(i % 100 * 2) + 1}", 8080, true, true, false, "bench-node"),
                new ServiceEndpoint(changed && i == 500 ? "10.244.200.1" : $"10.244.{i / 100}.{(i % 100 * 2) + 2}", 8080, true, true, false, "bench-node"),
            ],
        })];

    private static Proxier NewProxier(ProxierConfig config, IpTablesClient iptables, string netns, Func<IReadOnlyList<ProxiedServicePort>> ports) => new(
        config, iptables, new ConntrackCleaner(new CommandRunner(["ip", "netns", "exec", netns]), NullLogger<ConntrackCleaner>.Instance), ports,
        new ProxyHealth(TimeProvider.System, TimeSpan.FromMinutes(1)), new ProxyMetrics(Prometheus.Metrics.NewCustomRegistry()),
        TimeProvider.System, NullLogger<Proxier>.Instance);

    /// <summary>Deletes and re-creates the namespace, so that each side starts from empty tables.</summary>
    private static async Task<IpTablesClient> FreshNamespaceAsync(string netns)
    {
        await RunAsync("ip", "netns", "delete", netns);
        if (await RunAsync("ip", "netns", "add", netns) != 0)
        {
            throw new InvalidOperationException($"ip netns add {netns} failed");
        }
        return new IpTablesClient(new CommandRunner(["ip", "netns", "exec", netns]));
    }

    /// <summary>Milliseconds <paramref name="action"/> takes, starting without the garbage of earlier steps (the bench's own
    /// texts), on either side alike.</summary>
    private static async Task<double> TimeAsync(Func<Task> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<int> RunAsync(params string[] argv)
    {
        var result = await new CommandRunner().RunAsync(argv[0], argv[1..], null, CancellationToken.None);
        return result.ExitCode;
    }
}
