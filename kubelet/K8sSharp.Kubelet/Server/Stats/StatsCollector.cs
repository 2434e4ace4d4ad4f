using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using K8sSharp.Kubelet.Runtime;

namespace K8sSharp.Kubelet.Server.Stats;

/// <summary>
/// Builds the Summary (<c>/stats/summary</c>, and <c>/metrics/resource</c> from it): the node's CPU and memory from
/// /proc, each running container's from docker's one-shot stats (cgroup v1 counters: working set is usage minus
/// inactive file pages, as cAdvisor), pods as the sum of their containers.
/// </summary>
internal sealed class StatsCollector(IContainerRuntime runtime, IDockerClient docker, ServerSettings settings, TimeProvider time)
{
    private readonly CpuRates rates = new();

    public async Task<Summary> CollectAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pods = new List<PodStats>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { "node" };
        foreach (var (uid, ns, name) in await runtime.ListPodsAsync(cancellationToken))
        {
            var state = await runtime.GetPodAsync(uid, cancellationToken);
            var running = state.Containers.Where(c => c.Running).ToList();
            if (running.Count == 0)
            {
                continue;
            }
            var containers = await Task.WhenAll(running.Select(c => ContainerAsync(c, cancellationToken)));
            seen.UnionWith(running.Select(c => c.Id));
            var startTime = state.LatestSandbox?.CreatedAt is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            pods.Add(new PodStats(new PodReference(name, ns, uid), startTime, containers, Sum(containers.Select(c => c.Cpu), now), Sum(containers.Select(c => c.Memory), now)));
        }
        var node = await NodeAsync(now, cancellationToken);
        rates.Retain(seen);
        return new Summary(node, pods);
    }

    private async Task<NodeStats> NodeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stat = await File.ReadAllTextAsync("/proc/stat", cancellationToken);
        var (total, available, free) = NodeCounters.Memory(await File.ReadAllTextAsync("/proc/meminfo", cancellationToken));
        var cpu = NodeCounters.CpuUsageNanoseconds(stat);
        var boot = stat.Split('\n').FirstOrDefault(l => l.StartsWith("btime ", StringComparison.Ordinal)) is { } line
            ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(line[6..].Trim(), CultureInfo.InvariantCulture))
            : now;
        return new NodeStats(
            settings.NodeName,
            boot,
            new CpuStats(now, rates.Rate("node", now, cpu), cpu),
            new MemoryStats(now, available, total - free, total - available, null, null, null));
    }

    private async Task<ContainerStats> ContainerAsync(RuntimeContainer container, CancellationToken cancellationToken)
    {
        var sample = new LastSample();
        await docker.Containers.GetContainerStatsAsync(container.Id, new ContainerStatsParameters { Stream = false, OneShot = true }, sample, cancellationToken);
        var stats = sample.Value;
        var now = time.GetUtcNow();
        var cpu = stats?.CPUStats?.CPUUsage?.TotalUsage ?? 0;
        var usage = stats?.MemoryStats?.Usage ?? 0;
        var counters = stats?.MemoryStats?.Stats ?? new Dictionary<string, ulong>();
        var inactive = Counter(counters, "inactive_file") ?? 0;
        var startTime = container.StartedAt is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        return new ContainerStats(
            container.Name,
            startTime,
            new CpuStats(now, rates.Rate(container.Id, now, cpu), cpu),
            new MemoryStats(now, null, usage, usage > inactive ? usage - inactive : 0, Counter(counters, "rss"), Counter(counters, "pgfault"), Counter(counters, "pgmajfault")));
    }

    /// <summary>cgroup v1 reports hierarchical totals as total_*; cgroup v2 names them plainly.</summary>
    private static ulong? Counter(IDictionary<string, ulong> counters, string name) =>
        counters.TryGetValue("total_" + name, out var total) ? total : counters.TryGetValue(name, out var plain) ? plain : null;

    private static CpuStats Sum(IEnumerable<CpuStats> parts, DateTimeOffset now)
    {
        var list = parts.ToList();
        var rate = list.All(p => p.UsageNanoCores is not null) ? (ulong?)list.Aggregate(0UL, (s, p) => s + p.UsageNanoCores!.Value) : null;
        return new CpuStats(now, rate, list.Aggregate(0UL, (s, p) => s + p.UsageCoreNanoSeconds));
    }

    private static MemoryStats Sum(IEnumerable<MemoryStats> parts, DateTimeOffset now)
    {
        var list = parts.ToList();
        return new MemoryStats(now, null, list.Aggregate(0UL, (s, p) => s + p.UsageBytes), list.Aggregate(0UL, (s, p) => s + p.WorkingSetBytes),
            list.Aggregate(0UL, (s, p) => s + (p.RssBytes ?? 0)), null, null);
    }

    /// <summary>Keeps the one sample a non-streaming stats call reports (synchronously, unlike Progress&lt;T&gt;).</summary>
    private sealed class LastSample : IProgress<ContainerStatsResponse>
    {
        public ContainerStatsResponse? Value { get; private set; }

        public void Report(ContainerStatsResponse value) => Value = value;
    }
}
