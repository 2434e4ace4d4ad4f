using k8s.Models;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// Filter: the node's NoSchedule and NoExecute taints must all be tolerated. Score (weight 3): fewer untolerated
/// PreferNoSchedule taints is better (counts normalized in reverse).
/// </summary>
internal sealed class TaintToleration : IFilterPlugin, IScorePlugin
{
    public string Name => "TaintToleration";

    public int Weight => 3;

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        var taint = Taints.FirstUntolerated(node.Node.Spec?.Taints, pod.Spec?.Tolerations, Taints.NoSchedule, Taints.NoExecute);
        return taint is null
            ? Status.Success
            : Status.Unresolvable(Name, $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
    }

    public long Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        // Only tolerations that could tolerate PreferNoSchedule count (empty effect or PreferNoSchedule).
        var tolerations = pod.Spec?.Tolerations?.Where(t => string.IsNullOrEmpty(t.Effect) || t.Effect == Taints.PreferNoSchedule).ToList();
        return node.Node.Spec?.Taints?.Count(t => t.Effect == Taints.PreferNoSchedule && !Taints.IsTolerated(t, tolerations)) ?? 0;
    }

    public void NormalizeScores(CycleState state, long[] scores) => Scores.DefaultNormalize(scores, reverse: true);
}
