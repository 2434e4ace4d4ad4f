using System.Collections.Concurrent;

namespace K8sSharp.Kubelet.Server.Stats;

/// <summary>
/// usageNanoCores from two samples of a cumulative CPU counter, as cAdvisor derives it: the previous sample of each
/// key (node or container id) is kept; the first sample of a key has no rate.
/// </summary>
internal sealed class CpuRates
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Time, ulong Usage)> last = new(StringComparer.Ordinal);

    public ulong? Rate(string key, DateTimeOffset time, ulong usageCoreNanoSeconds)
    {
        ulong? rate = null;
        if (last.TryGetValue(key, out var previous) && time > previous.Time && usageCoreNanoSeconds >= previous.Usage)
        {
            var seconds = (time - previous.Time).TotalSeconds;
            rate = (ulong)((usageCoreNanoSeconds - previous.Usage) / seconds);
        }
        last[key] = (time, usageCoreNanoSeconds);
        return rate;
    }

    /// <summary>Drops the samples of keys not seen in the latest collection (removed containers).</summary>
    public void Retain(IReadOnlySet<string> keys)
    {
        foreach (var key in last.Keys.Where(k => !keys.Contains(k)))
        {
            last.TryRemove(key, out _);
        }
    }
}
