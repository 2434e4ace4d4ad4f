using k8s.Models;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>A pod that names a node (spec.nodeName at creation is bound already; this covers the profile's check) fits only there.</summary>
internal sealed class NodeName : IFilterPlugin
{
    public const string Reason = "node(s) didn't match the requested node name";

    public string Name => "NodeName";

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Spec.NodeName == node.Name ? Status.Success : Status.Unresolvable(Name, Reason);
}

/// <summary>Cordoned nodes (spec.unschedulable) take only pods tolerating node.kubernetes.io/unschedulable:NoSchedule.</summary>
internal sealed class NodeUnschedulable : IFilterPlugin
{
    public const string Reason = "node(s) were unschedulable";
    private static readonly V1Taint UnschedulableTaint = new() { Key = "node.kubernetes.io/unschedulable", Effect = Taints.NoSchedule };

    public string Name => "NodeUnschedulable";

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node) =>
        node.Node.Spec?.Unschedulable != true || Tolerations.IsTolerated(UnschedulableTaint, pod.Spec?.Tolerations)
            ? Status.Success
            : Status.Unresolvable(Name, Reason);
}
