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

    public Profile(IVolumeLookup volumes, Func<V1Pod, V1LabelSelector?> defaultSpreadSelector, string name = DefaultSchedulerName)
    {
        Name = name;
        Volumes = volumes;
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

    public IReadOnlyList<IPreFilterPlugin> PreFilters { get; }

    public IReadOnlyList<IFilterPlugin> Filters { get; }

    public IReadOnlyList<IScorePlugin> Scorers { get; }

    /// <summary>The nodes that pass every filter, or the diagnosis of why none does.</summary>
    public FilterResult FindFeasible(CycleState state, IReadOnlyList<NodeInfo> nodes)
    {
        var pod = state.Pod.Pod;
        foreach (var plugin in PreFilters)
        {
            var status = plugin.PreFilter(state, pod);
            if (!status.IsSuccess)
            {
                return new FilterResult([], new Dictionary<string, Status>(StringComparer.Ordinal), status with { Plugin = plugin.Name });
            }
        }
        var feasible = new List<NodeInfo>(nodes.Count);
        var rejected = new Dictionary<string, Status>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
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
        return new FilterResult(feasible, rejected, null);
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
/// (which applies to every node) when there was one.
/// </summary>
internal sealed record FilterResult(IReadOnlyList<NodeInfo> Feasible, IReadOnlyDictionary<string, Status> Rejected, Status? PreFilterRejection);
