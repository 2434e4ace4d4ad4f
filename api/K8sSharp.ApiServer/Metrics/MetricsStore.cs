using System.Collections.Concurrent;

namespace K8sSharp.ApiServer.Metrics;

/// <summary>A pod's usage: one <see cref="Usage"/> per container, all from the same node's last two scrapes.</summary>
internal sealed record PodUsage(string Namespace, string Name, DateTimeOffset Timestamp, TimeSpan Window, IReadOnlyList<(string Container, Usage Usage)> Containers);

/// <summary>
/// The last two points of every node and container, per node, as metrics-server's storage keeps them: usage is
/// reported only for objects with two points of different times (a fresh pod has none yet), a repeated point (the
/// kubelet answered from its cache) does not replace the last one, and objects missing from a node's latest scrape,
/// or every object of a node that could not be scraped, are forgotten. Thread-safe: the scraper writes, requests read.
/// </summary>
internal sealed class MetricsStore
{
    private readonly ConcurrentDictionary<string, NodeSeries> nodes = new(StringComparer.Ordinal);

    public void Record(string node, NodeScrape scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        nodes.AddOrUpdate(node, _ => NodeSeries.First(scrape), (_, series) => series.Next(scrape));
    }

    public void Forget(string node) => nodes.TryRemove(node, out _);

    /// <summary>Drops nodes not in <paramref name="existing"/> (deleted Nodes).</summary>
    public void Retain(IReadOnlySet<string> existing)
    {
        foreach (var name in nodes.Keys.Where(n => !existing.Contains(n)))
        {
            nodes.TryRemove(name, out _);
        }
    }

    public Usage? Node(string name) =>
        nodes.TryGetValue(name, out var series) && series.Node is { Previous: { } previous, Latest: var latest } ? Usage.Between(previous, latest) : null;

    public IEnumerable<PodUsage> Pods() => nodes.Values.SelectMany(series => series.Pods());

    private sealed record PointPair(MetricsPoint? Previous, MetricsPoint Latest)
    {
        public PointPair Next(MetricsPoint point) => point.Timestamp == Latest.Timestamp ? this : new PointPair(Latest, point);
    }

    private sealed record NodeSeries(PointPair? Node, IReadOnlyDictionary<ContainerKey, PointPair> Containers)
    {
        public static NodeSeries First(NodeScrape scrape) => new(
            scrape.Node is { } node ? new PointPair(null, node) : null,
            scrape.Containers.ToDictionary(c => c.Key, c => new PointPair(null, c.Value)));

        public NodeSeries Next(NodeScrape scrape) => new(
            scrape.Node is { } node ? Node?.Next(node) ?? new PointPair(null, node) : null,
            scrape.Containers.ToDictionary(
                c => c.Key,
                c => Containers.TryGetValue(c.Key, out var pair) ? pair.Next(c.Value) : new PointPair(null, c.Value)));

        /// <summary>Pods whose every container has a usage; a pod with one container not measurable yet is left out.</summary>
        public IEnumerable<PodUsage> Pods()
        {
            foreach (var pod in Containers.GroupBy(c => (c.Key.Namespace, c.Key.Pod)))
            {
                var usages = pod
                    .OrderBy(c => c.Key.Container, StringComparer.Ordinal)
                    .Select(c => (c.Key.Container, Usage: c.Value.Previous is { } previous ? Usage.Between(previous, c.Value.Latest) : null))
                    .ToList();
                if (usages.All(u => u.Usage is not null))
                {
                    var first = usages[0].Usage!;
                    yield return new PodUsage(pod.Key.Namespace, pod.Key.Pod, first.Timestamp, first.Window, usages.Select(u => (u.Container, u.Usage!)).ToList());
                }
            }
        }
    }
}
