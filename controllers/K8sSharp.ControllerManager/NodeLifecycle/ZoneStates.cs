using k8s.Models;

namespace K8sSharp.ControllerManager.NodeLifecycle;

/// <summary>
/// How much of each zone is down, and how fast NoExecute taints may be added there (upstream ComputeZoneState,
/// handleDisruption, setLimiterInZone and the zone tainting queues). A zone (region + zone labels) is in full
/// disruption when none of its Nodes is Ready, partial when more than 2 and at least 55% are not. When every zone is
/// fully disrupted the control plane, not the Nodes, is the likely fault: no NoExecute taints are added and existing
/// ones are removed. A partially disrupted zone of at most 50 Nodes gets no new ones. Otherwise at most one Node per
/// zone is tainted every 10 s (0.1/s, burst 1; 0.01/s for large partially disrupted zones). Thread-safe.
/// </summary>
internal sealed class ZoneStates
{
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string RegionLabel = "topology.kubernetes.io/region";
    private const double UnhealthyZoneThreshold = 0.55;
    private const int LargeClusterThreshold = 50;
    private static readonly TimeSpan NormalInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SecondaryInterval = TimeSpan.FromSeconds(100);
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> lastTainted = new(StringComparer.Ordinal);

    public static string ZoneOf(V1Node node)
    {
        var labels = node.Metadata.Labels;
        string Label(string key) => labels is not null && labels.TryGetValue(key, out var value) ? value : string.Empty;
        return Label(RegionLabel) + ":\0:" + Label(ZoneLabel);
    }

    /// <summary>True when no Node in any zone is Ready: NoExecute taints are then withheld and removed.</summary>
    public static bool AllZonesDisrupted(IReadOnlyList<V1Node> nodes) =>
        nodes.Count > 0 && nodes.GroupBy(ZoneOf).All(zone => zone.All(n => !IsReady(n)));

    /// <summary>
    /// When a NoExecute taint may be added to a Node of <paramref name="zone"/>: now (null, and the slot is taken),
    /// or not before the returned time (TimeSpan.MaxValue: not while the zone stays like this).
    /// </summary>
    public TimeSpan? TryTaint(string zone, IReadOnlyList<V1Node> nodes, DateTimeOffset now)
    {
        var members = nodes.Where(n => ZoneOf(n) == zone).ToList();
        var notReady = members.Count(n => !IsReady(n));
        var partial = notReady > 2 && (double)notReady / members.Count >= UnhealthyZoneThreshold && notReady < members.Count;
        if (partial && members.Count <= LargeClusterThreshold)
        {
            return TimeSpan.MaxValue;
        }
        var interval = partial ? SecondaryInterval : NormalInterval;
        lock (gate)
        {
            if (lastTainted.TryGetValue(zone, out var last) && now < last + interval)
            {
                return last + interval - now;
            }
            lastTainted[zone] = now;
            return null;
        }
    }

    private static bool IsReady(V1Node node) => NodeHealthMonitor.Ready(node)?.Status == "True";
}
