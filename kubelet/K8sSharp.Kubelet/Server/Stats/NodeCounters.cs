using System.Globalization;

namespace K8sSharp.Kubelet.Server.Stats;

/// <summary>The node's own CPU and memory counters from /proc (what cAdvisor reports for the root container).</summary>
internal static class NodeCounters
{
    /// <summary>USER_HZ on Linux: /proc/stat counts CPU time in hundredths of a second.</summary>
    private const ulong NanosecondsPerTick = 10_000_000;

    /// <summary>Busy CPU time of all cores (user, nice, system, irq, softirq, steal) in core-nanoseconds, from /proc/stat's "cpu" line.</summary>
    public static ulong CpuUsageNanoseconds(string procStat)
    {
        ArgumentNullException.ThrowIfNull(procStat);
        var line = procStat.Split('\n').First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => ulong.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields.Length > 7 ? fields[7] : 0);
        return busy * NanosecondsPerTick;
    }

    /// <summary>(total, available, free) in bytes from /proc/meminfo.</summary>
    public static (ulong Total, ulong Available, ulong Free) Memory(string procMeminfo)
    {
        ArgumentNullException.ThrowIfNull(procMeminfo);
        var values = procMeminfo.Split('\n')
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => ulong.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024, StringComparer.Ordinal);
        return (values.GetValueOrDefault("MemTotal"), values.GetValueOrDefault("MemAvailable"), values.GetValueOrDefault("MemFree"));
    }
}
