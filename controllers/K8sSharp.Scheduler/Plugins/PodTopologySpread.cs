using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// Filter: DoNotSchedule constraints; placing the pod must keep (matching pods in the node's domain + 1 if the pod
/// matches itself − the fewest in any domain) within maxSkew; fewer domains than minDomains make that minimum 0.
/// Score (weight 2): ScheduleAnyway constraints, or the system defaults (hostname skew 3, zone skew 5) over the pods of
/// the same Services/ReplicaSets/StatefulSets when the pod has no constraints; fewer matching pods scores higher.
/// </summary>
internal sealed partial class PodTopologySpread(Func<V1Pod, V1LabelSelector?> defaultSelector) : IPreFilterPlugin, IFilterPlugin, IScorePlugin
{
    public const string MissingLabelReason = "node(s) didn't match pod topology spread constraints (missing required label)";
    public const string ConstraintsReason = "node(s) didn't match pod topology spread constraints";
    private const string FilterKey = "PodTopologySpread/filter";

    public string Name => "PodTopologySpread";

    public int Weight => 2;

    public Status PreFilter(CycleState state, V1Pod pod)
    {
        var constraints = SpreadConstraint.Of(pod, "DoNotSchedule");
        if (constraints.Count == 0)
        {
            return Status.Success;
        }
        var counts = new Dictionary<(string Key, string Value), int>();
        foreach (var node in state.AllNodes.Where(n => SpreadConstraint.NodeHasAllKeys(n, constraints)))
        {
            foreach (var c in constraints.Where(c => c.Includes(pod, node)))
            {
                var pair = (c.TopologyKey, node.Labels[c.TopologyKey]);
                counts[pair] = counts.GetValueOrDefault(pair) + c.CountMatching(node, state.Pod.Namespace);
            }
        }
        state.Write(FilterKey, new FilterState(constraints, counts));
        return Status.Success;
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (state.Read<FilterState>(FilterKey) is not { } filter)
        {
            return Status.Success;
        }
        foreach (var c in filter.Constraints)
        {
            if (!node.Labels.TryGetValue(c.TopologyKey, out var value))
            {
                return Status.Unresolvable(Name, MissingLabelReason);
            }
            var selfMatch = LabelSelectors.Matches(c.Selector, state.Pod.Labels) ? 1 : 0;
            var skew = filter.Counts.GetValueOrDefault((c.TopologyKey, value)) + selfMatch - filter.MinMatch(c);
            if (skew > c.MaxSkew)
            {
                return Status.Unschedulable(Name, ConstraintsReason);
            }
        }
        return Status.Success;
    }

    private sealed record FilterState(IReadOnlyList<SpreadConstraint> Constraints, Dictionary<(string Key, string Value), int> Counts)
    {
        /// <summary>The fewest matching pods in any domain of the key; 0 while there are fewer domains than minDomains.</summary>
        public int MinMatch(SpreadConstraint c)
        {
            var domains = Counts.Where(p => p.Key.Key == c.TopologyKey).Select(p => p.Value).ToList();
            return domains.Count == 0 || domains.Count < c.MinDomains ? 0 : domains.Min();
        }
    }
}
