using k8s.Models;
using K8sSharp.ControllerManager.NodeLifecycle;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests;

public sealed class NodeLifecycleUnitTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    internal static V1Node Node(string name, string? ready, DateTime? heartbeat = null, string zone = "") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Labels = new Dictionary<string, string> { [ZoneStates.ZoneLabel] = zone },
        },
        Spec = new V1NodeSpec(),
        Status = new V1NodeStatus
        {
            Conditions = ready is null ? [] :
            [
                new V1NodeCondition { Type = "Ready", Status = ready, LastHeartbeatTime = heartbeat ?? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
                new V1NodeCondition { Type = "MemoryPressure", Status = "False" },
            ],
        },
    };

    private static V1Lease Lease(DateTimeOffset renewed) => new() { Metadata = new V1ObjectMeta { Name = "n1" }, Spec = new V1LeaseSpec { RenewTime = renewed.UtcDateTime } };

    [Fact]
    public void A_node_turns_unknown_once_neither_status_nor_lease_was_heard_of_for_the_grace_period()
    {
        var monitor = new NodeHealthMonitor(Grace, StartupGrace);
        var node = Node("n1", "True");

        monitor.Assess(node, Lease(time.GetUtcNow()), time.GetUtcNow()).StatusUpdate.Should().BeNull();
        time.Advance(TimeSpan.FromSeconds(30));
        monitor.Assess(node, Lease(time.GetUtcNow()), time.GetUtcNow()).StatusUpdate.Should().BeNull("the lease was renewed");
        var lastRenewal = Lease(time.GetUtcNow());
        time.Advance(Grace);
        monitor.Assess(node, lastRenewal, time.GetUtcNow()).StatusUpdate.Should().BeNull("exactly the grace period is still fine");
        time.Advance(TimeSpan.FromSeconds(1));

        var assessment = monitor.Assess(node, lastRenewal, time.GetUtcNow());

        assessment.ObservedReady.Should().Be("True");
        var conditions = assessment.StatusUpdate!.Status.Conditions.ToDictionary(c => c.Type);
        conditions["Ready"].Should().BeEquivalentTo(new { Status = "Unknown", Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status.", LastTransitionTime = time.GetUtcNow().UtcDateTime });
        conditions["MemoryPressure"].Status.Should().Be("Unknown");
        conditions["DiskPressure"].Should().BeEquivalentTo(new { Status = "Unknown", Reason = "NodeStatusNeverUpdated", Message = "Kubelet never posted node status." });
        conditions["PIDPressure"].Status.Should().Be("Unknown");
        node.Status.Conditions[0].Status.Should().Be("True", "the cached node is not modified");
    }

    [Fact]
    public void A_new_heartbeat_in_the_status_counts_like_a_lease_renewal()
    {
        var monitor = new NodeHealthMonitor(Grace, StartupGrace);
        monitor.Assess(Node("n1", "True"), null, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(35));
        monitor.Assess(Node("n1", "True", heartbeat: time.GetUtcNow().UtcDateTime), null, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(35));

        monitor.Assess(Node("n1", "True", heartbeat: time.GetUtcNow().UtcDateTime.AddSeconds(-35)), null, time.GetUtcNow())
            .StatusUpdate.Should().BeNull();
    }

    [Fact]
    public void A_node_that_never_posted_ready_gets_the_startup_grace_period_from_its_creation()
    {
        var monitor = new NodeHealthMonitor(Grace, StartupGrace);
        time.Advance(TimeSpan.FromSeconds(59));
        monitor.Assess(Node("n1", null), null, time.GetUtcNow()).StatusUpdate.Should().BeNull();
        time.Advance(TimeSpan.FromSeconds(2));

        var update = monitor.Assess(Node("n1", null), null, time.GetUtcNow()).StatusUpdate!;

        update.Status.Conditions.Should().HaveCount(4).And.OnlyContain(c => c.Status == "Unknown" && c.Reason == "NodeStatusNeverUpdated");
    }

    [Fact]
    public void Conditions_already_unknown_are_not_written_again()
    {
        var monitor = new NodeHealthMonitor(Grace, StartupGrace);
        var node = Node("n1", "Unknown");
        node.Status.Conditions[1].Status = "Unknown";
        node.Status.Conditions.Add(new V1NodeCondition { Type = "DiskPressure", Status = "Unknown" });
        node.Status.Conditions.Add(new V1NodeCondition { Type = "PIDPressure", Status = "Unknown" });
        monitor.Assess(node, null, time.GetUtcNow());
        time.Advance(TimeSpan.FromMinutes(5));

        monitor.Assess(node, null, time.GetUtcNow()).StatusUpdate.Should().BeNull();
    }

    public static TheoryData<V1Toleration[], double?> EvictionCases => new()
    {
        { [], 0 },
        { [new V1Toleration { Key = NodeTaints.Unreachable, OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 }], 300 },
        { [new V1Toleration { Key = NodeTaints.Unreachable, OperatorProperty = "Exists", Effect = "NoExecute" }], null },
        { [new V1Toleration { OperatorProperty = "Exists" }], null },
        { [new V1Toleration { Key = NodeTaints.Unreachable, OperatorProperty = "Exists", TolerationSeconds = -5 }], 0 },
        { [new V1Toleration { Key = NodeTaints.NotReady, OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 }], 0 },
        { [new V1Toleration { Key = NodeTaints.Unreachable, Value = "x", Effect = "NoExecute", TolerationSeconds = 60 }], 0 },
        {
            [
                new V1Toleration { Key = NodeTaints.Unreachable, OperatorProperty = "Exists", TolerationSeconds = 120 },
                new V1Toleration { OperatorProperty = "Exists", TolerationSeconds = 30 },
            ],
            120
        },
    };

    [Theory]
    [MemberData(nameof(EvictionCases))]
    public void Eviction_waits_for_the_shortest_toleration_the_pod_relies_on(V1Toleration[] tolerations, double? seconds)
    {
        var taints = new[] { new V1Taint { Key = NodeTaints.Unreachable, Effect = "NoExecute" } };

        Evictions.Decide(taints, tolerations).Should().Be(seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Fact]
    public void No_noexecute_taint_means_no_eviction()
    {
        Evictions.Decide([], []).Should().BeNull();
    }

    [Fact]
    public void NoSchedule_taints_mirror_the_conditions()
    {
        var node = Node("n1", "Unknown");
        node.Status.Conditions[1].Status = "True";
        node.Spec.Unschedulable = true;

        NodeTaints.NoScheduleKeysFor(node).Should().BeEquivalentTo([NodeTaints.Unreachable, NodeTaints.MemoryPressure, NodeTaints.Unschedulable]);
        NodeTaints.NoScheduleKeysFor(Node("n1", "False")).Should().BeEquivalentTo([NodeTaints.NotReady]);
        NodeTaints.NoScheduleKeysFor(Node("n1", "True")).Should().BeEmpty();
    }

    [Fact]
    public void NoExecute_tainting_is_paced_per_zone_and_withheld_when_every_zone_is_down()
    {
        var zones = new ZoneStates();
        var nodes = new[] { Node("a", "Unknown", zone: "z1"), Node("b", "True", zone: "z1"), Node("c", "Unknown", zone: "z2"), Node("d", "True", zone: "z2") };
        var z1 = ZoneStates.ZoneOf(nodes[0]);

        zones.TryTaint(z1, nodes, time.GetUtcNow()).Should().BeNull("the first taint in a zone goes at once");
        zones.TryTaint(z1, nodes, time.GetUtcNow() + TimeSpan.FromSeconds(4)).Should().Be(TimeSpan.FromSeconds(6));
        zones.TryTaint(ZoneStates.ZoneOf(nodes[2]), nodes, time.GetUtcNow()).Should().BeNull("zones are paced separately");
        zones.TryTaint(z1, nodes, time.GetUtcNow() + TimeSpan.FromSeconds(10)).Should().BeNull();

        ZoneStates.AllZonesDisrupted(nodes).Should().BeFalse();
        ZoneStates.AllZonesDisrupted([nodes[0], nodes[2]]).Should().BeTrue();
    }

    [Fact]
    public void A_small_partially_disrupted_zone_gets_no_new_noexecute_taints()
    {
        var zones = new ZoneStates();
        var nodes = new[] { Node("a", "Unknown"), Node("b", "Unknown"), Node("c", "False"), Node("d", "True") };

        zones.TryTaint(ZoneStates.ZoneOf(nodes[0]), nodes, time.GetUtcNow()).Should().Be(TimeSpan.MaxValue);
    }
}
