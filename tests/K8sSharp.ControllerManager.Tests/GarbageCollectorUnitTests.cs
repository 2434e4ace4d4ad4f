using k8s.Models;
using K8sSharp.Client.Dynamic;
using K8sSharp.ControllerManager.GarbageCollection;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The garbage collector's decisions and graph bookkeeping, without a server.</summary>
public sealed class GarbageCollectorUnitTests
{
    private static readonly DiscoveredResource ConfigMaps =
        new(new GroupVersionResource("", "v1", "configmaps"), "ConfigMap", true, new HashSet<string> { "delete", "list", "watch" });

    private static V1OwnerReference Ref(string uid, bool block = false) =>
        new() { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner-" + uid, Uid = uid, BlockOwnerDeletion = block };

    private static GraphNode Node(string uid, IEnumerable<V1OwnerReference>? owners = null, bool deleting = false, params string[] finalizers) =>
        new(new ObjectIdentity(ConfigMaps, "ns", "cm-" + uid, uid), [.. owners ?? []], deleting, finalizers);

    [Theory]
    [InlineData("owner present with the referenced uid", "u1", false, "", "Solid")]
    [InlineData("owner absent", null, false, "", "Dangling")]
    [InlineData("another object with the owner's name (uid mismatch)", "other", false, "", "Dangling")]
    [InlineData("owner deleted in the foreground", "u1", true, "foregroundDeletion", "WaitingForDependents")]
    [InlineData("owner deleted with the orphan policy", "u1", true, "orphan", "Solid")]
    public void An_owner_is_classified_from_its_live_state(string because, string? liveUid, bool deleting, string finalizer, string expected)
    {
        var live = liveUid is null ? null : new V1ObjectMeta
        {
            Uid = liveUid,
            DeletionTimestamp = deleting ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null,
            Finalizers = finalizer.Length == 0 ? null : [finalizer],
        };

        OwnerDecisions.Classify(Ref("u1"), live).ToString().Should().Be(expected, because);
    }

    [Theory]
    [InlineData("no owners: kept", "", false, "", "Keep")]
    [InlineData("one solid owner: kept", "S", false, "", "Keep")]
    [InlineData("all owners gone: deleted in the background", "DD", false, "", "Delete:Background")]
    [InlineData("a solid and a dangling owner: the dangling reference goes", "SD", false, "", "Remove:1")]
    [InlineData("a solid and a waiting owner (multiple owners): the waiting reference goes, the object stays", "SW", false, "", "Remove:1")]
    [InlineData("only a waiting owner: deleted in the background", "W", false, "", "Delete:Background")]
    [InlineData("only a waiting owner, with dependents of its own: deleted in the foreground", "W", true, "", "Delete:Foreground")]
    [InlineData("owners gone, the object already carries orphan: that policy is kept", "D", false, "orphan", "Delete:Orphan")]
    [InlineData("owners gone, the object already carries foregroundDeletion: that policy is kept", "D", false, "foregroundDeletion", "Delete:Foreground")]
    public void The_decision_follows_the_owners(string because, string states, bool hasDependents, string finalizer, string expected)
    {
        var owners = states.Select((c, i) => (Ref("u" + i), c switch
        {
            'S' => OwnerState.Solid,
            'D' => OwnerState.Dangling,
            _ => OwnerState.WaitingForDependents,
        })).ToList();

        var decision = OwnerDecisions.Decide(owners, hasDependents, finalizer.Length == 0 ? [] : [finalizer]);

        var text = decision switch
        {
            OwnerDecision.Keep => "Keep",
            OwnerDecision.Delete d => "Delete:" + d.PropagationPolicy,
            OwnerDecision.RemoveReferences r => "Remove:" + string.Join(",", r.OwnerUids.Select(u => u[1..])),
            _ => "?",
        };
        text.Should().Be(expected, because);
    }

    [Fact]
    public void A_dependent_of_an_unobserved_owner_is_checked_and_an_observed_owner_needs_no_check()
    {
        var graph = new DependencyGraph();
        graph.Observe(Node("owner")).Should().BeEquivalentTo(GraphWork.None);

        graph.Observe(Node("dep", [Ref("owner")])).AttemptToDelete.Should().BeEmpty("its owner is in the graph");
        graph.Observe(Node("stray", [Ref("missing")])).AttemptToDelete.Should().Equal("stray");
        graph.DependentsOf("owner").Select(n => n.Uid).Should().Equal("dep");
    }

    [Fact]
    public void Deleting_an_owner_checks_its_dependents()
    {
        var graph = new DependencyGraph();
        graph.Observe(Node("owner"));
        graph.Observe(Node("a", [Ref("owner")]));
        graph.Observe(Node("b", [Ref("owner")]));

        graph.Forget("owner").AttemptToDelete.Should().BeEquivalentTo(["a", "b"]);
    }

    [Fact]
    public void Foreground_deletion_checks_every_dependent_and_waits_only_for_blocking_ones()
    {
        var graph = new DependencyGraph();
        graph.Observe(Node("owner"));
        graph.Observe(Node("blocking", [Ref("owner", block: true)]));
        graph.Observe(Node("free", [Ref("owner", block: false)]));

        var work = graph.Observe(Node("owner", deleting: true, finalizers: "foregroundDeletion"));

        work.AttemptToDelete.Should().BeEquivalentTo(["owner", "blocking", "free"]);
        graph.BlockingDependentsOf("owner").Select(n => n.Uid).Should().Equal("blocking");
        graph.Forget("blocking").AttemptToDelete.Should().Equal(["owner"], "the waiting owner re-checks whether it may go");
        graph.BlockingDependentsOf("owner").Should().BeEmpty();
    }

    [Fact]
    public void An_owner_deleted_with_the_orphan_policy_is_orphaned()
    {
        var graph = new DependencyGraph();
        graph.Observe(Node("owner"));
        graph.Observe(Node("dep", [Ref("owner")]));

        var work = graph.Observe(Node("owner", deleting: true, finalizers: "orphan"));

        work.AttemptToOrphan.Should().Equal("owner");
        work.AttemptToDelete.Should().BeEmpty();
    }

    [Fact]
    public void Dropping_a_reference_to_a_waiting_owner_wakes_the_owner()
    {
        var graph = new DependencyGraph();
        graph.Observe(Node("owner", deleting: true, finalizers: "foregroundDeletion"));
        graph.Observe(Node("dep", [Ref("owner", block: true)]));

        graph.Observe(Node("dep")).AttemptToDelete.Should().Equal("owner");
        graph.DependentsOf("owner").Should().BeEmpty();
    }
}
