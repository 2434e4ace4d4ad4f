using k8s.Models;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Preemption;

namespace K8sSharp.Scheduler.Tests;

/// <summary>DefaultPreemption with PodDisruptionBudgets: victims that violate none are preferred, on a node and among nodes.</summary>
public sealed class PreemptionTests
{
    private readonly List<V1PodDisruptionBudget> budgets = [];

    [Fact]
    public void On_one_node_the_pod_not_covered_by_a_budget_is_the_victim()
    {
        // "guarded" is the less important of the two (it started later), so without the budget it would be the victim.
        var guarded = Started(Build.Pod("guarded", cpu: "1", priority: 10, labels: App("db"), node: "n1"), minutesAgo: 1);
        var plain = Started(Build.Pod("plain", cpu: "1", priority: 10, labels: App("web"), node: "n1"), minutesAgo: 5);
        budgets.Add(Budget("db-pdb", App("db"), disruptionsAllowed: 0));
        var node = Build.NodeInfo(Build.Node("n1", cpu: "2"), guarded, plain);

        var outcome = Preempt(Build.Pod("high", cpu: "1", priority: 1000), node);

        outcome.NominatedNode.Should().Be("n1");
        outcome.Victims.Select(v => v.Pod.Metadata.Name).Should().Equal("plain");
    }

    [Fact]
    public void Without_a_budget_the_least_important_pod_is_the_victim()
    {
        var late = Started(Build.Pod("late", cpu: "1", priority: 10, labels: App("db"), node: "n1"), minutesAgo: 1);
        var early = Started(Build.Pod("early", cpu: "1", priority: 10, labels: App("web"), node: "n1"), minutesAgo: 5);
        var node = Build.NodeInfo(Build.Node("n1", cpu: "2"), late, early);

        var outcome = Preempt(Build.Pod("high", cpu: "1", priority: 1000), node);

        outcome.Victims.Select(v => v.Pod.Metadata.Name).Should().Equal("late");
    }

    [Fact]
    public void A_node_whose_victims_violate_no_budget_wins_over_one_with_lower_priority_victims()
    {
        budgets.Add(Budget("db-pdb", App("db"), disruptionsAllowed: 0));
        var n1 = Build.NodeInfo(Build.Node("n1", cpu: "1"), Build.Pod("db-0", cpu: "1", priority: 1, labels: App("db"), node: "n1"));
        var n2 = Build.NodeInfo(Build.Node("n2", cpu: "1"), Build.Pod("web-0", cpu: "1", priority: 500, labels: App("web"), node: "n2"));

        var outcome = Preempt(Build.Pod("high", cpu: "1", priority: 1000), n1, n2);

        outcome.NominatedNode.Should().Be("n2");
        outcome.Victims.Select(v => v.Pod.Metadata.Name).Should().Equal("web-0");
    }

    [Fact]
    public void A_budget_that_allows_one_disruption_covers_only_the_first_victim()
    {
        budgets.Add(Budget("db-pdb", App("db"), disruptionsAllowed: 1));
        var pods = new[] { Info("db-0", App("db")), Info("db-1", App("db")), Info("web-0", App("web")) };

        var (violating, nonViolating) = DisruptionBudgets.Split(pods, budgets);

        violating.Select(p => p.Pod.Metadata.Name).Should().Equal("db-1");
        nonViolating.Select(p => p.Pod.Metadata.Name).Should().Equal("db-0", "web-0");
    }

    [Fact]
    public void Budgets_with_an_empty_selector_of_another_namespace_or_that_already_count_the_pod_are_not_violated()
    {
        budgets.Add(Budget("empty", new Dictionary<string, string>(), disruptionsAllowed: 0));
        budgets.Add(Budget("elsewhere", App("db"), disruptionsAllowed: 0, ns: "other"));
        var processed = Budget("processed", App("db"), disruptionsAllowed: 0);
        processed.Status.DisruptedPods = new Dictionary<string, DateTime?> { ["db-0"] = DateTime.UtcNow };
        budgets.Add(processed);

        var (violating, nonViolating) = DisruptionBudgets.Split([Info("db-0", App("db"))], budgets);

        violating.Should().BeEmpty();
        nonViolating.Should().ContainSingle();
    }

    [Fact]
    public void Node_choice_follows_upstream_criteria_after_budgets()
    {
        var node = Build.NodeInfo(Build.Node("n"));
        Candidate Candidate(string name, int violations, params (int Priority, int MinutesAgo)[] victims) =>
            new(Build.NodeInfo(Build.Node(name)), [.. victims.Select((v, i) => new PodInfo(Started(Build.Pod($"{name}-{i}", priority: v.Priority, node: name), v.MinutesAgo), name))], violations);

        DefaultPreemption.PickNode([Candidate("a", 1, (1, 1)), Candidate("b", 0, (100, 1))]).Node.Name.Should().Be("b", "fewer PDB violations first");
        DefaultPreemption.PickNode([Candidate("a", 0, (100, 1)), Candidate("b", 0, (50, 1), (50, 1))]).Node.Name.Should().Be("b", "then the lowest highest priority");
        DefaultPreemption.PickNode([Candidate("a", 0, (50, 1), (50, 1)), Candidate("b", 0, (50, 1))]).Node.Name.Should().Be("b", "then the lowest priority sum");
        DefaultPreemption.PickNode([Candidate("a", 0, (50, 10)), Candidate("b", 0, (50, 2))]).Node.Name.Should().Be("b", "then the latest start of the most important victims");
        DefaultPreemption.PickNode([Candidate("a", 2, (50, 10)), new Candidate(node, [], 0)]).Node.Name.Should().Be("n", "a node that needs no victims wins outright");
    }

    private PreemptionOutcome Preempt(V1Pod pod, params NodeInfo[] nodes)
    {
        var profile = new Profile(new NoVolumes(), _ => null, disruptionBudgets: ns => [.. budgets.Where(b => b.Metadata.NamespaceProperty == ns)]);
        var state = new CycleState(new PodInfo(pod), nodes);
        var result = profile.FindFeasible(state, nodes);
        result.Feasible.Should().BeEmpty("the pod fits nowhere without preemption");
        return new DefaultPreemption(profile).Preempt(state, new FitError(nodes.Length, result.Rejected, result.PreFilterRejection));
    }

    private static PodInfo Info(string name, IDictionary<string, string> labels) => new(Build.Pod(name, labels: labels, node: "n"), "n");

    private static Dictionary<string, string> App(string app) => new() { ["app"] = app };

    private static V1Pod Started(V1Pod pod, int minutesAgo)
    {
        pod.Status.StartTime = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc).AddMinutes(-minutesAgo);
        return pod;
    }

    private static V1PodDisruptionBudget Budget(string name, IDictionary<string, string> selector, int disruptionsAllowed, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = selector } },
        Status = new V1PodDisruptionBudgetStatus { DisruptionsAllowed = disruptionsAllowed },
    };
}
