using System.Globalization;
using k8s.Models;

namespace K8sSharp.Kubelet.Nodes;

/// <summary>Whether the node can run pods, and why not (the Ready condition's inputs).</summary>
internal sealed record NodeHealth(bool RuntimeUp, bool NetworkReady, string? RuntimeError);

/// <summary>
/// The Node this kubelet registers and the status it reports (pkg/kubelet/nodestatus/setters.go): labels,
/// capacity (cpu, memory, pods 110, ephemeral-storage, hugepages 0), allocatable (capacity minus the default hard
/// eviction thresholds: memory 100Mi, 10% of the disk), addresses, nodeInfo, the kubelet endpoint and the four
/// conditions with upstream's reasons and messages.
/// </summary>
internal static class NodeStatusBuilder
{
    public const string KubeletVersion = "v1.35.2";
    public const string ContainerRuntimeVersion = "docker://20.10.24";
    public const int MaxPods = 110;

    public static V1Node NewNode(string nodeName, MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = nodeName,
                Labels = Labels(nodeName),
                Annotations = new Dictionary<string, string> { ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true" },
            },
            Spec = new V1NodeSpec(),
        };
    }

    public static Dictionary<string, string> Labels(string nodeName) => new()
    {
        ["kubernetes.io/hostname"] = nodeName,
        ["kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = "amd64",
        ["beta.kubernetes.io/os"] = "linux",
        ["beta.kubernetes.io/arch"] = "amd64",
    };

    public static V1NodeStatus Status(MachineInfo machine, int port, NodeHealth health, IList<V1NodeCondition>? previous, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(health);
        var capacity = Capacity(machine);
        return new V1NodeStatus
        {
            Capacity = capacity,
            Allocatable = Allocatable(machine),
            Addresses = [new V1NodeAddress { Address = machine.InternalIp, Type = "InternalIP" }, new V1NodeAddress { Address = machine.Hostname, Type = "Hostname" }],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = port } },
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64",
                OperatingSystem = "linux",
                OsImage = machine.OsImage,
                KernelVersion = machine.KernelVersion,
                ContainerRuntimeVersion = ContainerRuntimeVersion,
                KubeletVersion = KubeletVersion,
                KubeProxyVersion = "",
                MachineID = machine.MachineId,
                SystemUUID = machine.MachineId,
                BootID = machine.BootId,
            },
            Conditions = Conditions(health, previous, now),
        };
    }

    public static Dictionary<string, ResourceQuantity> Capacity(MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return new()
        {
            ["cpu"] = new ResourceQuantity(machine.Cpus.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new ResourceQuantity($"{machine.MemoryBytes / 1024}Ki"),
            ["pods"] = new ResourceQuantity(MaxPods.ToString(CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = new ResourceQuantity($"{machine.DiskBytes / 1024}Ki"),
            ["hugepages-1Gi"] = new ResourceQuantity("0"),
            ["hugepages-2Mi"] = new ResourceQuantity("0"),
        };
    }

    public static Dictionary<string, ResourceQuantity> Allocatable(MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var allocatable = Capacity(machine);
        allocatable["memory"] = new ResourceQuantity($"{Math.Max(0, machine.MemoryBytes - (100L << 20)) / 1024}Ki");
        allocatable["ephemeral-storage"] = new ResourceQuantity((machine.DiskBytes * 9 / 10).ToString(CultureInfo.InvariantCulture));
        return allocatable;
    }

    private static List<V1NodeCondition> Conditions(NodeHealth health, IList<V1NodeCondition>? previous, DateTime now)
    {
        var ready = health.RuntimeUp && health.NetworkReady;
        var notReadyMessage = !health.RuntimeUp
            ? $"container runtime is down: {health.RuntimeError}"
            : "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized (the node has no podCIDR)";
        return
        [
            Condition("MemoryPressure", false, "KubeletHasSufficientMemory", "kubelet has sufficient memory available", previous, now),
            Condition("DiskPressure", false, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", previous, now),
            Condition("PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available", previous, now),
            ready
                ? Condition("Ready", true, "KubeletReady", "kubelet is posting ready status", previous, now)
                : Condition("Ready", false, "KubeletNotReady", notReadyMessage, previous, now),
        ];
    }

    private static V1NodeCondition Condition(string type, bool value, string reason, string message, IList<V1NodeCondition>? previous, DateTime now)
    {
        var status = value ? "True" : "False";
        var old = previous?.FirstOrDefault(c => c.Type == type);
        return new V1NodeCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastHeartbeatTime = now,
            LastTransitionTime = old?.Status == status ? old.LastTransitionTime : now,
        };
    }
}
