using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// One topology spread constraint as PodTopologySpread evaluates it: the selector (with matchLabelKeys folded in as
/// In requirements on the pod's own values) and the node inclusion policies (nodeAffinityPolicy Honor and
/// nodeTaintsPolicy Ignore by default).
/// </summary>
internal sealed record SpreadConstraint(string TopologyKey, int MaxSkew, int MinDomains, V1LabelSelector Selector, bool HonorNodeAffinity, bool HonorTaints)
{
    public const string HostnameKey = "kubernetes.io/hostname";
    public const string ZoneKey = "topology.kubernetes.io/zone";

    public static IReadOnlyList<SpreadConstraint> Of(V1Pod pod, string whenUnsatisfiable) =>
        [.. (pod.Spec?.TopologySpreadConstraints ?? []).Where(c => c.WhenUnsatisfiable == whenUnsatisfiable).Select(c => From(c, pod))];

    /// <summary>Upstream's system default constraints (ScheduleAnyway) for pods without their own, over a derived selector.</summary>
    public static IReadOnlyList<SpreadConstraint> SystemDefaults(V1LabelSelector selector) =>
    [
        new(HostnameKey, 3, 1, selector, HonorNodeAffinity: true, HonorTaints: false),
        new(ZoneKey, 5, 1, selector, HonorNodeAffinity: true, HonorTaints: false),
    ];

    private static SpreadConstraint From(V1TopologySpreadConstraint c, V1Pod pod)
    {
        var selector = c.LabelSelector ?? new V1LabelSelector { MatchExpressions = [new() { Key = "k8ssharp.invalid/none", OperatorProperty = "Exists" }] };
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        var keys = (c.MatchLabelKeys ?? []).Where(labels.ContainsKey).ToList();
        if (keys.Count > 0)
        {
            selector = new V1LabelSelector
            {
                MatchLabels = selector.MatchLabels,
                MatchExpressions = [.. selector.MatchExpressions ?? [], .. keys.Select(k => new V1LabelSelectorRequirement { Key = k, OperatorProperty = "In", Values = [labels[k]] })],
            };
        }
        return new SpreadConstraint(c.TopologyKey, c.MaxSkew, c.MinDomains ?? 1, selector,
            HonorNodeAffinity: c.NodeAffinityPolicy != "Ignore", HonorTaints: c.NodeTaintsPolicy == "Honor");
    }

    /// <summary>Whether pods on the node count toward the domains (the inclusion policies).</summary>
    public bool Includes(V1Pod pod, NodeInfo node) =>
        (!HonorNodeAffinity || NodeAffinity.Matches(pod, node.Node))
        && (!HonorTaints || Tolerations.FirstUntolerated(node.Node.Spec?.Taints, pod.Spec?.Tolerations, Taints.NoSchedule, Taints.NoExecute) is null);

    /// <summary>Live pods on the node in <paramref name="ns"/> that the selector matches (terminating pods do not count).</summary>
    public int CountMatching(NodeInfo node, string ns) =>
        node.Pods.Count(p => !p.IsTerminating && p.Namespace == ns && LabelSelectors.Matches(Selector, p.Labels));

    public static bool NodeHasAllKeys(NodeInfo node, IEnumerable<SpreadConstraint> constraints) =>
        constraints.All(c => node.Labels.ContainsKey(c.TopologyKey));
}
