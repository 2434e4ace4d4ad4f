using k8s.Models;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Plugins;

namespace K8sSharp.Scheduler.Tests;

public sealed class FilterPluginTests
{
    [Theory]
    [InlineData("1", "1Gi", null)]
    [InlineData("5", "1Gi", "Insufficient cpu")]
    [InlineData("1", "9Gi", "Insufficient memory")]
    [InlineData("5", "9Gi", "Insufficient cpu,Insufficient memory")]
    public void NodeResourcesFit_reports_each_insufficient_resource(string cpu, string memory, string? reasons)
    {
        var node = Build.NodeInfo(Build.Node("n", cpu: "4", memory: "8Gi"));
        var pod = Build.Pod("p", cpu, memory);

        var status = new NodeResourcesFit().Filter(Build.State(pod, node), pod, node);

        (status.IsSuccess ? null : string.Join(",", status.Reasons)).Should().Be(reasons);
        if (!status.IsSuccess)
        {
            status.Code.Should().Be(StatusCode.Unschedulable, "preemption can free resources");
        }
    }

    [Fact]
    public void NodeResourcesFit_counts_pods_already_there_and_the_pod_limit()
    {
        var node = Build.NodeInfo(Build.Node("n", cpu: "2", pods: 2), Build.Pod("a", cpu: "1500m"));
        var pod = Build.Pod("p", cpu: "1");
        new NodeResourcesFit().Filter(Build.State(pod, node), pod, node).Reasons.Should().Equal("Insufficient cpu");

        node.AddPod(new PodInfo(Build.Pod("b"), "n"));
        var free = Build.Pod("free");
        new NodeResourcesFit().Filter(Build.State(free, node), free, node).Reasons.Should().Equal(NodeResourcesFit.TooManyPods);
    }

    [Fact]
    public void NodeResourcesFit_needs_extended_resources_the_node_offers()
    {
        var node = Build.NodeInfo(Build.Node("n"));
        var pod = Build.Pod("p");
        pod.Spec.Containers[0].Resources.Requests["example.com/gpu"] = new ResourceQuantity("1");

        new NodeResourcesFit().Filter(Build.State(pod, node), pod, node).Reasons.Should().Equal("Insufficient example.com/gpu");
    }

    [Theory]
    [InlineData(null, null, null, "node(s) had untolerated taint {dedicated: infra}")]
    [InlineData("dedicated", "Equal", "infra", null)]
    [InlineData("dedicated", "Equal", "other", "node(s) had untolerated taint {dedicated: infra}")]
    [InlineData("dedicated", "Exists", null, null)]
    [InlineData("", "Exists", null, null)]
    public void TaintToleration_filter_needs_every_NoSchedule_taint_tolerated(string? key, string? op, string? value, string? reason)
    {
        var node = Build.NodeInfo(Build.Node("n", taints: [new V1Taint { Key = "dedicated", Value = "infra", Effect = "NoSchedule" }]));
        var pod = Build.Pod("p");
        if (op is not null)
        {
            pod.Spec.Tolerations = [new V1Toleration { Key = key, OperatorProperty = op, Value = value }];
        }

        var status = new TaintToleration().Filter(Build.State(pod, node), pod, node);

        (status.IsSuccess ? null : status.Message).Should().Be(reason);
    }

    [Fact]
    public void TaintToleration_filter_ignores_PreferNoSchedule()
    {
        var node = Build.NodeInfo(Build.Node("n", taints: [new V1Taint { Key = "soft", Effect = "PreferNoSchedule" }]));
        var pod = Build.Pod("p");

        new TaintToleration().Filter(Build.State(pod, node), pod, node).IsSuccess.Should().BeTrue();
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void NodeUnschedulable_rejects_cordoned_nodes_unless_tolerated(bool cordoned, bool tolerates, bool fits)
    {
        var node = Build.NodeInfo(Build.Node("n", unschedulable: cordoned));
        var pod = Build.Pod("p");
        if (tolerates)
        {
            pod.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        }

        var status = new NodeUnschedulable().Filter(Build.State(pod, node), pod, node);

        status.IsSuccess.Should().Be(fits);
        if (!fits)
        {
            status.Message.Should().Be("node(s) were unschedulable");
        }
    }

    public static TheoryData<V1NodeSelectorRequirement, bool> Requirements => new()
    {
        { new() { Key = "zone", OperatorProperty = "In", Values = ["a", "b"] }, true },
        { new() { Key = "zone", OperatorProperty = "NotIn", Values = ["a"] }, false },
        { new() { Key = "cores", OperatorProperty = "Gt", Values = ["8"] }, true },
        { new() { Key = "cores", OperatorProperty = "Lt", Values = ["8"] }, false },
        { new() { Key = "gpu", OperatorProperty = "DoesNotExist" }, true },
        { new() { Key = "zone", OperatorProperty = "Exists" }, true },
    };

    [Theory]
    [MemberData(nameof(Requirements))]
    public void NodeAffinity_required_terms_use_the_upstream_operators(V1NodeSelectorRequirement requirement, bool fits)
    {
        var node = Build.NodeInfo(Build.Node("n", labels: new Dictionary<string, string> { ["zone"] = "a", ["cores"] = "16" }));
        var pod = Build.Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [requirement] }] },
            },
        };

        new NodeAffinity().Filter(Build.State(pod, node), pod, node).IsSuccess.Should().Be(fits);
    }

    [Theory]
    [InlineData("n1", true)]
    [InlineData("n2", false)]
    public void NodeAffinity_matchFields_metadata_name_pins_a_node_as_DaemonSets_do(string wanted, bool fits)
    {
        var node = Build.NodeInfo(Build.Node("n1"));
        var pod = Build.Pod("p");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new() { Key = "metadata.name", OperatorProperty = "In", Values = [wanted] }] }],
                },
            },
        };

        var status = new NodeAffinity().Filter(Build.State(pod, node), pod, node);

        status.IsSuccess.Should().Be(fits);
        if (!fits)
        {
            status.Message.Should().Be("node(s) didn't match Pod's node affinity/selector");
            status.Code.Should().Be(StatusCode.UnschedulableAndUnresolvable);
        }
    }

    [Fact]
    public void NodeAffinity_nodeSelector_needs_every_label()
    {
        var node = Build.NodeInfo(Build.Node("n", labels: new Dictionary<string, string> { ["disk"] = "ssd" }));
        var ok = Build.Pod("ok");
        ok.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        var no = Build.Pod("no");
        no.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd", ["gpu"] = "yes" };

        new NodeAffinity().Filter(Build.State(ok, node), ok, node).IsSuccess.Should().BeTrue();
        new NodeAffinity().Filter(Build.State(no, node), no, node).IsSuccess.Should().BeFalse();
    }

    [Theory]
    [InlineData("0.0.0.0", "TCP", 8080, "10.0.0.1", "TCP", 8080, true)]
    [InlineData("10.0.0.1", "TCP", 8080, "10.0.0.2", "TCP", 8080, false)]
    [InlineData("0.0.0.0", "TCP", 8080, "0.0.0.0", "UDP", 8080, false)]
    [InlineData("0.0.0.0", "TCP", 8080, "0.0.0.0", "TCP", 8081, false)]
    public void NodePorts_conflict_on_same_protocol_and_port_with_overlapping_address(string usedIp, string usedProtocol, int usedPort, string ip, string protocol, int port, bool conflict)
    {
        static V1Pod WithPort(string name, string ip, string protocol, int port)
        {
            var pod = Build.Pod(name);
            pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = port, HostIP = ip, Protocol = protocol }];
            return pod;
        }
        var node = Build.NodeInfo(Build.Node("n"), WithPort("used", usedIp, usedProtocol, usedPort));
        var pod = WithPort("p", ip, protocol, port);

        var status = new NodePorts().Filter(Build.State(pod, node), pod, node);

        status.IsSuccess.Should().Be(!conflict);
    }

    [Fact]
    public void NodeName_filter_accepts_only_the_named_node()
    {
        var pod = Build.Pod("p");
        pod.Spec.NodeName = "n1";
        var n1 = Build.NodeInfo(Build.Node("n1"));
        var n2 = Build.NodeInfo(Build.Node("n2"));

        new NodeName().Filter(Build.State(pod, n1, n2), pod, n1).IsSuccess.Should().BeTrue();
        new NodeName().Filter(Build.State(pod, n1, n2), pod, n2).Message.Should().Be("node(s) didn't match the requested node name");
    }
}
