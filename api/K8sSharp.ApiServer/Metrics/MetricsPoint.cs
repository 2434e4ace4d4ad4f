namespace K8sSharp.ApiServer.Metrics;

/// <summary>A container of a pod, as the kubelet labels its samples.</summary>
internal readonly record struct ContainerKey(string Namespace, string Pod, string Container);

/// <summary>
/// One sample of a node or container: cumulative CPU in nanoseconds at <see cref="Timestamp"/>, and the memory working
/// set. <see cref="StartTime"/> tells a restarted container (its counter starts again) from one that kept running.
/// </summary>
internal sealed record MetricsPoint(DateTimeOffset Timestamp, ulong CumulativeCpuNanoseconds, ulong MemoryWorkingSetBytes, DateTimeOffset? StartTime = null);

/// <summary>What one scrape of one kubelet returned.</summary>
internal sealed record NodeScrape(MetricsPoint? Node, IReadOnlyDictionary<ContainerKey, MetricsPoint> Containers);

/// <summary>
/// A usage computed from two points, as metrics-server reports it: CPU in nanocores averaged over
/// <see cref="Window"/>, memory from the later point, <see cref="Timestamp"/> = the later point's time.
/// </summary>
internal sealed record Usage(DateTimeOffset Timestamp, TimeSpan Window, ulong CpuNanocores, ulong MemoryBytes)
{
    /// <summary>The rate between two points of the same object; null when they do not make one (same or older time, counter reset).</summary>
    public static Usage? Between(MetricsPoint earlier, MetricsPoint later)
    {
        var window = later.Timestamp - earlier.Timestamp;
        if (window <= TimeSpan.Zero || later.CumulativeCpuNanoseconds < earlier.CumulativeCpuNanoseconds || earlier.StartTime != later.StartTime)
        {
            return null;
        }
        var nanocores = (later.CumulativeCpuNanoseconds - earlier.CumulativeCpuNanoseconds) / window.TotalSeconds;
        return new Usage(later.Timestamp, window, (ulong)Math.Round(nanocores), later.MemoryWorkingSetBytes);
    }
}
