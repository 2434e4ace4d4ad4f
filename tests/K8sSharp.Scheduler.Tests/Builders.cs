using k8s.Models;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Tests;

/// <summary>Terse builders for the pods and nodes the tables use.</summary>
internal static class Build
{
    public static V1Pod Pod(string name, string? cpu = null, string? memory = null, int priority = 0, string ns = "default",
        IDictionary<string, string>? labels = null, string? node = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }
        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = ns + "-" + name, Labels = labels ?? new Dictionary<string, string>() },
            Spec = new V1PodSpec
            {
                Priority = priority,
                NodeName = node,
                SchedulerName = "default-scheduler",
                Containers = [new V1Container { Name = "c", Image = "busybox", Resources = new V1ResourceRequirements { Requests = requests } }],
            },
            Status = new V1PodStatus { Phase = "Pending" },
        };
    }

    public static V1Node Node(string name, string cpu = "4", string memory = "8Gi", int pods = 110, IDictionary<string, string>? labels = null,
        IList<V1Taint>? taints = null, bool unschedulable = false)
    {
        var nodeLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { ["kubernetes.io/hostname"] = name };
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = nodeLabels },
            Spec = new V1NodeSpec { Taints = taints, Unschedulable = unschedulable },
            Status = new V1NodeStatus
            {
                Allocatable = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new(pods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                },
            },
        };
    }

    public static NodeInfo NodeInfo(V1Node node, params V1Pod[] pods)
    {
        var info = new NodeInfo(node);
        foreach (var pod in pods)
        {
            info.AddPod(new PodInfo(pod, node.Metadata.Name));
        }
        return info;
    }

    public static CycleState State(V1Pod pod, params NodeInfo[] nodes) => new(new PodInfo(pod), nodes);
}
