using k8s.Models;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// Filter: the node's NoSchedule and NoExecute taints must all be tolerated. Score (weight 3): fewer untolerated
/// PreferNoSchedule taints is better (counts normalized in reverse).
/// </summary>
internal sealed class TaintToleration : IFilterPlugin, IScorePlugin
{
    /// <summary>The effects Filter enforces (one array for every call: this runs per pod and node).</summary>
    private static readonly string[] FilteredEffects = [Taints.NoSchedule, Taints.NoExecute];

    public string Name => "TaintToleration";

    public int Weight => 3;

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (node.Node.Spec?.Taints is not { Count: > 0 } taints)
        {
            return Status.Success;
        }
        var taint = Tolerations.FirstUntolerated(taints, pod.Spec?.Tolerations, FilteredEffects);
        return taint is null
            ? Status.Success
            : Status.Unresolvable(Name, $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
    }

    private const string TolerationsKey = "TaintToleration/preferNoSchedule";

    /// <summary>Only tolerations that could tolerate PreferNoSchedule count (empty effect or PreferNoSchedule).</summary>
    public void PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> feasible) =>
        state.Write(TolerationsKey, pod.Spec?.Tolerations?.Where(t => string.IsNullOrEmpty(t.Effect) || t.Effect == Taints.PreferNoSchedule).ToList() ?? []);

    public long Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (node.Node.Spec?.Taints is not { Count: > 0 } taints)
        {
            return 0;
        }
        var tolerations = state.Read<List<V1Toleration>>(TolerationsKey);
        return taints.Count(t => t.Effect == Taints.PreferNoSchedule && !Tolerations.IsTolerated(t, tolerations));
    }

    public void NormalizeScores(CycleState state, long[] scores) => Scores.DefaultNormalize(scores, reverse: true);
}
