using k8s.Models;
using K8sSharp.Scheduler.Plugins;

namespace K8sSharp.Scheduler.Framework;

/// <summary>
/// The default-scheduler profile: its plugins in upstream's order, and the two halves of a scheduling attempt over
/// a set of nodes: <see cref="FindFeasible"/> (PreFilter, then Filter per node, first failure wins) and
/// <see cref="ScoreNodes"/> (PreScore, Score, normalize, weight, sum).
/// </summary>
internal sealed class Profile
{
    public const string DefaultSchedulerName = "default-scheduler";

    /// <param name="disruptionBudgets">The PodDisruptionBudgets of a namespace (preemption prefers victims that violate none); none when null.</param>
    public Profile(IVolumeLookup volumes, Func<V1Pod, V1LabelSelector?> defaultSpreadSelector, string name = DefaultSchedulerName,
        Func<string, IReadOnlyList<V1PodDisruptionBudget>>? disruptionBudgets = null)
    {
        Name = name;
        Volumes = volumes;
        DisruptionBudgets = disruptionBudgets ?? (_ => []);
        var fit = new NodeResourcesFit();
        var taints = new TaintToleration();
        var nodeAffinity = new NodeAffinity();
        var spread = new PodTopologySpread(defaultSpreadSelector);
        var volumeBinding = new VolumeBinding(volumes);
        var interPod = new InterPodAffinity();
        PreFilters = [spread, interPod, volumeBinding];
        Filters = [new NodeUnschedulable(), new NodeName(), taints, nodeAffinity, new NodePorts(), fit, volumeBinding, spread, interPod];
        Scorers = [taints, nodeAffinity, fit, spread, new BalancedAllocation(), new ImageLocality()];
    }

    /// <summary>The spec.schedulerName this profile serves, also the events' reporting component.</summary>
    public string Name { get; }

    public IVolumeLookup Volumes { get; }

    /// <summary>The PodDisruptionBudgets of a namespace, as the informer last saw them.</summary>
    public Func<string, IReadOnlyList<V1PodDisruptionBudget>> DisruptionBudgets { get; }

    public IReadOnlyList<IPreFilterPlugin> PreFilters { get; }

    public IReadOnlyList<IFilterPlugin> Filters { get; }

    public IReadOnlyList<IScorePlugin> Scorers { get; }

    /// <summary>
    /// The nodes that pass every filter, or the diagnosis of why none does. Filtering starts at
    /// <paramref name="startIndex"/> (wrapping around) and stops once <paramref name="enough"/> nodes are feasible
    /// (upstream's percentageOfNodesToScore); <see cref="FilterResult.Processed"/> says how many nodes were looked at,
    /// so the caller can start the next attempt after them and every node gets its turn.
    /// </summary>
    public FilterResult FindFeasible(CycleState state, IReadOnlyList<NodeInfo> nodes, int startIndex = 0, int enough = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var pod = state.Pod.Pod;
        foreach (var plugin in PreFilters)
        {
            var status = plugin.PreFilter(state, pod);
            if (!status.IsSuccess)
            {
                return new FilterResult([], new Dictionary<string, Status>(StringComparer.Ordinal), status with { Plugin = plugin.Name }, nodes.Count);
            }
        }
        var feasible = new List<NodeInfo>(Math.Min(nodes.Count, enough));
        var rejected = new Dictionary<string, Status>(StringComparer.Ordinal);
        var processed = 0;
        while (processed < nodes.Count && feasible.Count < enough)
        {
            var node = nodes[(startIndex + processed) % nodes.Count];
            processed++;
            var status = RunFilters(state, node);
            if (status.IsSuccess)
            {
                feasible.Add(node);
            }
            else
            {
                rejected[node.Name] = status;
            }
        }
        return new FilterResult(feasible, rejected, null, processed);
    }

    /// <summary>The filters on one node, stopping at the first failure (also preemption's what-if check).</summary>
    public Status RunFilters(CycleState state, NodeInfo node)
    {
        foreach (var filter in Filters)
        {
            var status = filter.Filter(state, state.Pod.Pod, node);
            if (!status.IsSuccess)
            {
                return status with { Plugin = filter.Name };
            }
        }
        return Status.Success;
    }

    /// <summary>Each feasible node's weighted total score, in the order of <paramref name="feasible"/>.</summary>
    public long[] ScoreNodes(CycleState state, IReadOnlyList<NodeInfo> feasible)
    {
        var pod = state.Pod.Pod;
        var totals = new long[feasible.Count];
        var scores = new long[feasible.Count];
        foreach (var plugin in Scorers)
        {
            plugin.PreScore(state, pod, feasible);
            for (var i = 0; i < feasible.Count; i++)
            {
                scores[i] = plugin.Score(state, pod, feasible[i]);
            }
            plugin.NormalizeScores(state, scores);
            for (var i = 0; i < feasible.Count; i++)
            {
                totals[i] += scores[i] * plugin.Weight;
            }
        }
        return totals;
    }
}

/// <summary>
/// What filtering found: the feasible nodes, each rejected node's first failing status, and a PreFilter rejection
/// (which applies to every node) when there was one, and how many nodes were filtered.
/// </summary>
internal sealed record FilterResult(IReadOnlyList<NodeInfo> Feasible, IReadOnlyDictionary<string, Status> Rejected, Status? PreFilterRejection, int Processed);

/// <summary>
/// How many feasible nodes are enough to stop filtering (upstream's numFeasibleNodesToFind with the adaptive
/// percentageOfNodesToScore): every node below 100 nodes; else (50 − nodes/125)% of them, at least 5% and at least 100.
/// </summary>
internal static class NodesToScore
{
    public const int MinFeasibleNodes = 100;
    public const int MinPercentage = 5;

    /// <param name="allNodes">Nodes in the cache.</param>
    /// <param name="percentage">The configured percentageOfNodesToScore; 0 means adaptive.</param>
    public static int FeasibleToFind(int allNodes, int percentage = 0)
    {
        if (allNodes < MinFeasibleNodes)
        {
            return allNodes;
        }
        if (percentage <= 0)
        {
            percentage = Math.Max(MinPercentage, 50 - (allNodes / 125));
        }
        return Math.Max(MinFeasibleNodes, allNodes * Math.Min(percentage, 100) / 100);
    }
}
