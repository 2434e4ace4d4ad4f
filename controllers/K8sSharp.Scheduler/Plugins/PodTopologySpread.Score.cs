using k8s.Models;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Plugins;

internal sealed partial class PodTopologySpread
{
    private const string ScoreKey = "PodTopologySpread/score";

    public void PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> feasible)
    {
        var constraints = SpreadConstraint.Of(pod, "ScheduleAnyway");
        var systemDefaulted = false;
        if (constraints.Count == 0 && (pod.Spec?.TopologySpreadConstraints?.Count ?? 0) == 0 && defaultSelector(pod) is { } selector)
        {
            constraints = SpreadConstraint.SystemDefaults(selector);
            systemDefaulted = true;
        }
        if (constraints.Count == 0)
        {
            return;
        }
        // With the system defaults a node need not carry every key (a cluster without zones still spreads by host).
        var requireAll = !systemDefaulted;
        var ignored = new HashSet<string>(feasible.Where(n => requireAll && !SpreadConstraint.NodeHasAllKeys(n, constraints)).Select(n => n.Name), StringComparer.Ordinal);
        var counted = feasible.Where(n => !ignored.Contains(n.Name)).ToList();
        var counts = new Dictionary<(string Key, string Value), int>();
        var weights = new double[constraints.Count];
        for (var i = 0; i < constraints.Count; i++)
        {
            var c = constraints[i];
            var values = counted.Where(n => n.Labels.ContainsKey(c.TopologyKey)).Select(n => n.Labels[c.TopologyKey]).ToHashSet(StringComparer.Ordinal);
            if (c.TopologyKey != SpreadConstraint.HostnameKey)
            {
                foreach (var value in values)
                {
                    counts[(c.TopologyKey, value)] = 0;
                }
            }
            var size = c.TopologyKey == SpreadConstraint.HostnameKey ? counted.Count : values.Count;
            weights[i] = Math.Log(size + 2);
        }
        CountOtherDomains(state, pod, constraints, requireAll, counts);
        state.Write(ScoreKey, new ScoreState(constraints, counts, weights, ignored, feasible));
    }

    /// <summary>Matching pods over every node (not only the feasible ones) for the non-hostname domains seen among the feasible nodes.</summary>
    private static void CountOtherDomains(CycleState state, V1Pod pod, IReadOnlyList<SpreadConstraint> constraints, bool requireAll, Dictionary<(string Key, string Value), int> counts)
    {
        foreach (var node in state.AllNodes.Where(n => !requireAll || SpreadConstraint.NodeHasAllKeys(n, constraints)))
        {
            foreach (var c in constraints.Where(c => c.TopologyKey != SpreadConstraint.HostnameKey))
            {
                if (node.Labels.TryGetValue(c.TopologyKey, out var value) && counts.ContainsKey((c.TopologyKey, value)) && c.Includes(pod, node))
                {
                    counts[(c.TopologyKey, value)] += c.CountMatching(node, state.Pod.Namespace);
                }
            }
        }
    }

    public long Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (state.Read<ScoreState>(ScoreKey) is not { } s || s.Ignored.Contains(node.Name))
        {
            return 0;
        }
        double score = 0;
        for (var i = 0; i < s.Constraints.Count; i++)
        {
            var c = s.Constraints[i];
            if (node.Labels.TryGetValue(c.TopologyKey, out var value))
            {
                var count = c.TopologyKey == SpreadConstraint.HostnameKey ? c.CountMatching(node, state.Pod.Namespace) : s.Counts.GetValueOrDefault((c.TopologyKey, value));
                score += (count * s.Weights[i]) + (c.MaxSkew - 1);
            }
        }
        return (long)Math.Round(score);
    }

    /// <summary>Fewer matching pods is better: (max + min − score) · 100 / max; ignored nodes get 0.</summary>
    public void NormalizeScores(CycleState state, long[] scores)
    {
        if (state.Read<ScoreState>(ScoreKey) is not { } s)
        {
            return;
        }
        var considered = Enumerable.Range(0, scores.Length).Where(i => !s.Ignored.Contains(s.Feasible[i].Name)).ToList();
        if (considered.Count == 0)
        {
            return;
        }
        var min = considered.Min(i => scores[i]);
        var max = considered.Max(i => scores[i]);
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = s.Ignored.Contains(s.Feasible[i].Name) ? 0 : max == 0 ? Scores.MaxNodeScore : Scores.MaxNodeScore * (max + min - scores[i]) / max;
        }
    }

    private sealed record ScoreState(IReadOnlyList<SpreadConstraint> Constraints, Dictionary<(string Key, string Value), int> Counts,
        double[] Weights, HashSet<string> Ignored, IReadOnlyList<NodeInfo> Feasible);
}
