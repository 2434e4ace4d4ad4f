using k8s.Models;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>A pod's host ports must be free on the node (same protocol and port, same address or 0.0.0.0 on either side).</summary>
internal sealed class NodePorts : IFilterPlugin
{
    public const string Reason = "node(s) didn't have free ports for the requested pod ports";

    public string Name => "NodePorts";

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        var wanted = state.Pod.HostPorts;
        if (wanted.Count == 0)
        {
            return Status.Success;
        }
        var conflict = node.Pods.Any(p => p.HostPorts.Any(used => wanted.Any(w => w.ConflictsWith(used))));
        return conflict ? Status.Unschedulable(Name, Reason) : Status.Success;
    }
}
