using k8s.Models;
using K8sSharp.ControllerManager.DaemonSets;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests;

public sealed class DaemonSetUnitTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private const string NewHash = "new";

    private static V1Node Node(string name, string? taint = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["role"] = "worker" } },
        Spec = new V1NodeSpec
        {
            Taints = taint is null ? null : [new V1Taint { Key = taint.Split(':')[0], Effect = taint.Split(':')[1], Value = "v" }],
        },
    };

    private static V1DaemonSet DaemonSet(string? maxUnavailable = "1", string? maxSurge = null, int minReadySeconds = 0, bool hostNetwork = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "ns", Uid = "ds-uid", Generation = 2 },
        Spec = new V1DaemonSetSpec
        {
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
            UpdateStrategy = new V1DaemonSetUpdateStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDaemonSet
                {
                    MaxUnavailable = maxUnavailable is null ? null : (IntOrString)maxUnavailable,
                    MaxSurge = maxSurge is null ? null : (IntOrString)maxSurge,
                },
            },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } },
                Spec = new V1PodSpec
                {
                    HostNetwork = hostNetwork,
                    NodeSelector = new Dictionary<string, string> { ["role"] = "worker" },
                    Containers = [new V1Container { Name = "c", Image = "busybox" }],
                },
            },
        },
    };

    private static V1Pod Pod(string name, string node, string hash = NewHash, bool ready = true, int ageSeconds = 100, int readyForSeconds = 100) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns",
            CreationTimestamp = Clock.GetUtcNow().UtcDateTime.AddSeconds(-ageSeconds),
            Labels = new Dictionary<string, string> { ["app"] = "agent", ["controller-revision-hash"] = hash },
        },
        Spec = new V1PodSpec { Affinity = DaemonPods.PinnedTo(null, node) },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Clock.GetUtcNow().UtcDateTime.AddSeconds(-readyForSeconds) }],
        },
    };

    private static Dictionary<string, List<V1Pod>> ByNode(params V1Pod[] pods) =>
        pods.GroupBy(p => DaemonPods.TargetNode(p)!).ToDictionary(g => g.Key, g => g.ToList());

    [Theory]
    [InlineData(null, false, true, true)]
    [InlineData("dedicated:NoSchedule", false, false, true)]
    [InlineData("dedicated:NoExecute", false, false, false)]
    [InlineData("dedicated:PreferNoSchedule", false, true, true)]
    [InlineData("node.kubernetes.io/unschedulable:NoSchedule", false, true, true)]
    [InlineData("node.kubernetes.io/not-ready:NoExecute", false, true, true)]
    [InlineData("node.kubernetes.io/unreachable:NoExecute", false, true, true)]
    [InlineData("node.kubernetes.io/disk-pressure:NoSchedule", false, true, true)]
    [InlineData("node.kubernetes.io/memory-pressure:NoSchedule", false, true, true)]
    [InlineData("node.kubernetes.io/pid-pressure:NoSchedule", false, true, true)]
    [InlineData("node.kubernetes.io/network-unavailable:NoSchedule", false, false, true)]
    [InlineData("node.kubernetes.io/network-unavailable:NoSchedule", true, true, true)]
    public void Eligibility_weighs_taints_against_the_default_daemon_tolerations(string? taint, bool hostNetwork, bool shouldRun, bool shouldContinue)
    {
        DaemonPods.Evaluate(Node("n1", taint), DaemonSet(hostNetwork: hostNetwork)).Should().Be(new Eligibility(shouldRun, shouldContinue));
    }

    [Fact]
    public void Eligibility_requires_the_node_selector_and_required_node_affinity()
    {
        var ds = DaemonSet();
        DaemonPods.Evaluate(Node("n1", labels: new Dictionary<string, string> { ["role"] = "db" }), ds).Should().Be(new Eligibility(false, false));

        ds.Spec.Template.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["a"] }] }],
                },
            },
        };
        var labels = new Dictionary<string, string> { ["role"] = "worker", ["zone"] = "a" };
        DaemonPods.Evaluate(Node("in-zone", labels: labels), ds).ShouldRun.Should().BeTrue();
        DaemonPods.Evaluate(Node("elsewhere"), ds).ShouldRun.Should().BeFalse();
    }

    [Fact]
    public void A_toleration_in_the_template_lets_the_pod_onto_a_tainted_node()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "v", Effect = "NoSchedule" }];

        DaemonPods.Evaluate(Node("n1", "dedicated:NoSchedule"), ds).ShouldRun.Should().BeTrue();
    }

    [Fact]
    public void Pods_are_pinned_to_their_node_with_match_fields_replacing_required_terms()
    {
        var ds = DaemonSet();
        ds.Metadata.Annotations = new Dictionary<string, string> { [DaemonPods.TemplateGenerationAnnotation] = "3" };
        ds.Spec.Template.Spec.Affinity = DaemonPods.PinnedTo(null, "somewhere-else");

        var template = DaemonPods.TemplateFor(ds, "n1", "h1");

        var term = template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms.Should().ContainSingle().Subject;
        term.MatchFields.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = ["n1"] });
        template.Metadata.Labels.Should().Contain("controller-revision-hash", "h1").And.Contain("pod-template-generation", "3");
        template.Spec.Tolerations.Select(t => $"{t.Key}:{t.Effect}").Should().Contain("node.kubernetes.io/not-ready:NoExecute");
        ds.Spec.Template.Spec.Tolerations.Should().BeNull("the template belongs to the shared cache");
    }

    [Fact]
    public void Manage_creates_where_missing_deletes_where_not_wanted_and_keeps_the_oldest_duplicate()
    {
        var ds = DaemonSet();
        var nodes = new[] { Node("empty"), Node("twice"), Node("repelled", "dedicated:NoExecute") };
        var oldest = Pod("oldest", "twice", ageSeconds: 300);
        var younger = Pod("younger", "twice", ageSeconds: 10);
        var repelled = Pod("repelled-pod", "repelled");
        var stray = Pod("stray", "vanished-node");

        var plan = DaemonSetPlanner.Manage(ds, nodes, ByNode(oldest, younger, repelled, stray), NewHash);

        plan.CreateOn.Should().Equal("empty");
        plan.Delete.Select(p => p.Metadata.Name).Should().BeEquivalentTo("younger", "repelled-pod", "stray");
    }

    [Fact]
    public void Manage_waits_for_a_terminating_pod_before_creating_its_replacement()
    {
        var terminating = Pod("going", "n1");
        terminating.Metadata.DeletionTimestamp = Clock.GetUtcNow().UtcDateTime;

        DaemonSetPlanner.Manage(DaemonSet(), [Node("n1")], ByNode(terminating), NewHash).IsEmpty.Should().BeTrue();
    }

    [Theory]
    // maxUnavailable, pods (node:hash:ready), expected deletions
    [InlineData("1", "a:old:1 b:old:1 c:old:1", "old-a")]
    [InlineData("2", "a:old:1 b:old:1 c:old:1", "old-a old-b")]
    [InlineData("1", "a:new:0 b:old:1 c:old:1", "")]
    [InlineData("1", "a:new:1 b:old:1 c:old:1", "old-b")]
    [InlineData("1", "a:new:1 b:old:0 c:old:1", "old-b old-c")] // an unavailable old pod is replaced without using the budget (upstream)
    [InlineData("50%", "a:old:1 b:old:1 c:old:1", "old-a old-b")]
    public void Rolling_update_without_surge_deletes_old_pods_within_max_unavailable(string maxUnavailable, string layout, string expected)
    {
        var pods = layout.Split(' ').Select(spec => spec.Split(':')).Select(s => Pod($"{s[1]}-{s[0]}", s[0], s[1], ready: s[2] == "1")).ToArray();
        var nodes = new[] { Node("a"), Node("b"), Node("c") };

        var plan = DaemonSetRollingUpdate.Plan(DaemonSet(maxUnavailable), nodes, ByNode(pods), NewHash, Clock.GetUtcNow());

        plan.CreateOn.Should().BeEmpty();
        string.Join(' ', plan.Delete.Select(p => p.Metadata.Name)).Should().Be(expected);
    }

    [Fact]
    public void Rolling_update_with_surge_adds_new_pods_first_and_removes_old_ones_once_new_are_available()
    {
        var ds = DaemonSet(maxUnavailable: "0", maxSurge: "1");
        var nodes = new[] { Node("a"), Node("b") };

        var start = DaemonSetRollingUpdate.Plan(ds, nodes, ByNode(Pod("old-a", "a", "old"), Pod("old-b", "b", "old")), NewHash, Clock.GetUtcNow());
        start.Should().BeEquivalentTo(new DaemonSetPlan(["a"], []), "one surge pod at a time");

        var surging = DaemonSetRollingUpdate.Plan(ds, nodes, ByNode(Pod("old-a", "a", "old"), Pod("new-a", "a", ready: false), Pod("old-b", "b", "old")), NewHash, Clock.GetUtcNow());
        surging.IsEmpty.Should().BeTrue("the surge budget is spent until new-a is available");

        var done = DaemonSetRollingUpdate.Plan(ds, nodes, ByNode(Pod("old-a", "a", "old"), Pod("new-a", "a"), Pod("old-b", "b", "old")), NewHash, Clock.GetUtcNow());
        done.CreateOn.Should().Equal("b");
        done.Delete.Select(p => p.Metadata.Name).Should().Equal("old-a");
    }

    [Fact]
    public void A_new_pod_counts_as_available_only_after_min_ready_seconds_of_virtual_time()
    {
        var time = new FakeTimeProvider(Clock.GetUtcNow());
        var ds = DaemonSet(minReadySeconds: 30);
        var pods = ByNode(Pod("new-a", "a", readyForSeconds: 0), Pod("old-b", "b", "old"));
        var nodes = new[] { Node("a"), Node("b") };

        DaemonSetRollingUpdate.Plan(ds, nodes, pods, NewHash, time.GetUtcNow()).IsEmpty.Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(30));
        DaemonSetRollingUpdate.Plan(ds, nodes, pods, NewHash, time.GetUtcNow()).Delete.Select(p => p.Metadata.Name).Should().Equal("old-b");
    }

    [Fact]
    public void Status_counts_desired_current_misscheduled_ready_available_and_updated()
    {
        var nodes = new[] { Node("a"), Node("b"), Node("c"), Node("off", labels: []) };
        var pods = ByNode(Pod("new-a", "a"), Pod("old-b", "b", "old", ready: false), Pod("stale", "off"));

        var status = DaemonSetStatuses.Compute(DaemonSet(), nodes, pods, NewHash, Clock.GetUtcNow());

        (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberMisscheduled, status.NumberReady,
            status.NumberAvailable, status.NumberUnavailable, status.UpdatedNumberScheduled, status.ObservedGeneration)
            .Should().Be((3, 2, 1, 1, 1, 2, 1, 2L));
    }
}
