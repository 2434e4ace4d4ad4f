using K8sSharp.Kubelet.Hosting;
using K8sSharp.Kubelet.Logs;
using K8sSharp.Kubelet.Nodes;

namespace K8sSharp.Kubelet.Tests;

public sealed class NodeAndOptionsTests
{
    private static readonly MachineInfo Machine = new("node-a", "192.0.2.2", 4, 8L << 30, 100L << 30, "Debian GNU/Linux 12 (bookworm)", "6.1.0", "mid", "bid");
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_healthy_node_is_Ready_with_upstreams_reasons_capacity_and_info()
    {
        var status = NodeStatusBuilder.Status(Machine, 10250, new NodeHealth(true, true, null), null, Now);

        status.Conditions.Select(c => (c.Type, c.Status, c.Reason)).Should().Equal(
            ("MemoryPressure", "False", "KubeletHasSufficientMemory"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID"),
            ("Ready", "True", "KubeletReady"));
        status.Capacity["cpu"].ToString().Should().Be("4");
        status.Capacity["memory"].ToString().Should().Be("8Gi");
        status.Capacity["pods"].ToString().Should().Be("110");
        status.Allocatable["memory"].ToString().Should().Be("8092Mi", "capacity minus the 100Mi hard eviction threshold");
        status.Addresses.Select(a => (a.Type, a.Address)).Should().Equal(("InternalIP", "192.0.2.2"), ("Hostname", "node-a"));
        (status.NodeInfo.ContainerRuntimeVersion, status.NodeInfo.KubeletVersion, status.NodeInfo.Architecture, status.NodeInfo.OperatingSystem)
            .Should().Be(("docker://20.10.24", "v1.35.2", "amd64", "linux"));
        status.DaemonEndpoints.KubeletEndpoint.Port.Should().Be(10250);
    }

    [Fact]
    public void Without_a_pod_network_the_node_is_NotReady_and_transition_times_move_only_on_change()
    {
        var ready = NodeStatusBuilder.Status(Machine, 10250, new NodeHealth(true, true, null), null, Now);
        var later = Now.AddSeconds(10);

        var notReady = NodeStatusBuilder.Status(Machine, 10250, new NodeHealth(true, false, null), ready.Conditions, later);

        var condition = notReady.Conditions.Single(c => c.Type == "Ready");
        (condition.Status, condition.Reason, condition.LastTransitionTime, condition.LastHeartbeatTime).Should().Be(("False", "KubeletNotReady", later, later));
        condition.Message.Should().Contain("NetworkPluginNotReady");
        notReady.Conditions.Single(c => c.Type == "MemoryPressure").LastTransitionTime.Should().Be(Now);
    }

    [Fact]
    public void New_nodes_carry_the_well_known_labels()
    {
        NodeStatusBuilder.NewNode("node-a", Machine).Metadata.Labels.Should().Contain(new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = "node-a",
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        });
    }

    [Fact]
    public void Options_have_upstream_defaults_and_parse_both_flag_forms()
    {
        var defaults = KubeletOptions.Parse([]);
        (defaults.Port, defaults.PodLogDir, defaults.ClusterDns, defaults.ClusterDomain, defaults.CniBinDir, defaults.CniBridge, defaults.RootDir)
            .Should().Be((10250, "/var/log/pods", "10.96.0.10", "cluster.local", "/usr/lib/cni", "cni0", ".k8ssharp/kubelet"));

        var parsed = KubeletOptions.Parse(["--node-name", "n1", "--port=50850", "--cni-bridge", "k8ss-dev0"]);
        (parsed.NodeName, parsed.Port, parsed.CniBridge).Should().Be(("n1", 50850, "k8ss-dev0"));

        var act = () => KubeletOptions.Parse(["--bogus"]);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Cri_log_lines_have_an_RFC3339Nano_time_the_stream_and_the_partial_tag()
    {
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234500);

        CriLogFormat.Line(time, "stdout", false, "hello").Should().Be("2026-01-02T03:04:05.12345Z stdout F hello\n");
        CriLogFormat.Line(time.AddTicks(-1234500), "stderr", true, "part").Should().Be("2026-01-02T03:04:05Z stderr P part\n");
        // docker's nanoseconds round to .NET's 100 ns ticks
        CriLogFormat.SplitDockerLine("2026-01-02T03:04:05.123456789Z hi there", DateTimeOffset.MinValue)
            .Should().Be((new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234568), "hi there"));
    }
}
