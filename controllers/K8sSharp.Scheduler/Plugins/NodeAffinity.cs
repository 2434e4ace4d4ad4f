using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// Filter: spec.nodeSelector and required node affinity (matchExpressions on labels, matchFields on metadata.name, as
/// DaemonSet pods use). Score (weight 2): the summed weights of the preferred terms the node matches, normalized.
/// </summary>
internal sealed class NodeAffinity : IFilterPlugin, IScorePlugin
{
    public const string Reason = "node(s) didn't match Pod's node affinity/selector";

    public string Name => "NodeAffinity";

    public int Weight => 2;

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node) =>
        Matches(pod, node.Node) ? Status.Success : Status.Unresolvable(Name, Reason);

    /// <summary>Whether the pod's nodeSelector and required node affinity accept the node (also used by PodTopologySpread).</summary>
    public static bool Matches(V1Pod pod, V1Node node)
    {
        if (pod.Spec?.NodeSelector is { Count: > 0 } selector && !LabelSelectors.Matches(selector, node.Metadata.Labels))
        {
            return false;
        }
        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        return terms is null || NodeSelectorTerms.MatchesAny(terms, node);
    }

    public long Score(CycleState state, V1Pod pod, NodeInfo node) =>
        pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution?
            .Where(p => p.Weight != 0 && NodeSelectorTerms.Matches(p.Preference, node.Node))
            .Sum(p => (long)p.Weight) ?? 0;

    public void NormalizeScores(CycleState state, long[] scores) => Scores.DefaultNormalize(scores, reverse: false);
}
