using k8s.Models;
using K8sSharp.ControllerManager.Disruption;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>The PodDisruptionBudget arithmetic of the disruption controller.</summary>
public sealed class DisruptionBudgetTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ControllerScale Rs = new("rs-uid", 4);

    private static V1Pod Pod(string name, bool ready, bool owned = true, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns",
            DeletionTimestamp = deleting ? Now : null,
            OwnerReferences = owned ? [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = "rs-uid", Controller = true }] : null,
        },
        Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private static V1PodDisruptionBudget Budget(string? minAvailable = null, string? maxUnavailable = null, IDictionary<string, DateTime?>? disrupted = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pdb", NamespaceProperty = "ns", Generation = 3 },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable is null ? null : (IntOrString)minAvailable,
            MaxUnavailable = maxUnavailable is null ? null : (IntOrString)maxUnavailable,
            Selector = new V1LabelSelector(),
        },
        Status = disrupted is null ? null : new V1PodDisruptionBudgetStatus { DisruptedPods = disrupted },
    };

    private static readonly V1Pod[] ThreeReadyOfFour = [Pod("a", true), Pod("b", true), Pod("c", true), Pod("d", false)];

    [Theory]
    [InlineData("2", null, 4, 2, 3, 1)]
    [InlineData("3", null, 4, 3, 3, 0)]
    [InlineData("50%", null, 4, 2, 3, 1)]
    [InlineData("60%", null, 4, 3, 3, 0)]
    [InlineData(null, "1", 4, 3, 3, 0)]
    [InlineData(null, "50%", 4, 2, 3, 1)]
    [InlineData(null, "30%", 4, 2, 3, 1)]
    [InlineData(null, "0", 4, 4, 3, 0)]
    public void Counts_follow_min_available_or_max_unavailable(string? minAvailable, string? maxUnavailable, int expected, int desired, int healthy, int allowed)
    {
        var result = DisruptionBudgets.Compute(Budget(minAvailable, maxUnavailable), ThreeReadyOfFour, _ => Rs, Now);

        var status = result.Status!;
        (status.ExpectedPods, status.DesiredHealthy, status.CurrentHealthy, status.DisruptionsAllowed, status.ObservedGeneration)
            .Should().Be((expected, desired, healthy, allowed, 3L));
        var condition = status.Conditions.Should().ContainSingle().Subject;
        (condition.Type, condition.Status, condition.Reason).Should().Be(
            ("DisruptionAllowed", allowed > 0 ? "True" : "False", allowed > 0 ? "SufficientPods" : "InsufficientPods"));
    }

    [Fact]
    public void Integer_min_available_counts_matching_pods_not_the_controller_scale()
    {
        var status = DisruptionBudgets.Compute(Budget(minAvailable: "1"), [Pod("a", true), Pod("b", true)], _ => new ControllerScale("rs-uid", 10), Now).Status!;

        (status.ExpectedPods, status.DisruptionsAllowed).Should().Be((2, 1));
    }

    [Fact]
    public void Pods_being_deleted_or_recently_evicted_are_not_healthy_and_expired_evictions_are_dropped()
    {
        var disrupted = new Dictionary<string, DateTime?> { ["a"] = Now.AddSeconds(-30), ["b"] = Now.AddMinutes(-5), ["gone"] = Now };
        var pods = new[] { Pod("a", true), Pod("b", true), Pod("c", true, deleting: true) };

        var result = DisruptionBudgets.Compute(Budget(minAvailable: "1", disrupted: disrupted), pods, _ => Rs, Now);

        result.Status!.CurrentHealthy.Should().Be(1, "a was just evicted and c is being deleted");
        result.Status.DisruptedPods.Should().BeEquivalentTo(new Dictionary<string, DateTime?> { ["a"] = Now.AddSeconds(-30) });
        result.RecheckAt.Should().Be(Now.AddSeconds(-30) + DisruptionBudgets.DeletionTimeout);
    }

    [Fact]
    public void No_pods_allow_no_disruption()
    {
        var status = DisruptionBudgets.Compute(Budget(maxUnavailable: "1"), [], _ => Rs, Now).Status!;

        (status.ExpectedPods, status.DisruptionsAllowed).Should().Be((0, 0));
    }

    [Fact]
    public void A_pod_whose_controller_is_unknown_fails_the_computation()
    {
        var result = DisruptionBudgets.Compute(Budget(maxUnavailable: "1"), [Pod("a", true)], _ => null, Now);

        result.Status.Should().BeNull();
        result.Failure.Should().Contain("found no controllers for pod \"a\"");
    }

    [Theory]
    [InlineData("5", 10, true, 5)]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("100%", 7, true, 7)]
    public void Scaled_values_round_percentages(string value, int total, bool roundUp, int expected) =>
        DisruptionBudgets.ScaledValue(value, total, roundUp).Should().Be(expected);

    [Fact]
    public void The_condition_keeps_its_transition_time_while_its_status_holds()
    {
        var conditions = new List<V1Condition>();
        DisruptionBudgets.SetCondition(conditions, "False", "InsufficientPods", "", 1, Now);
        DisruptionBudgets.SetCondition(conditions, "False", "InsufficientPods", "", 2, Now.AddMinutes(1));
        conditions.Single().LastTransitionTime.Should().Be(Now);

        DisruptionBudgets.SetCondition(conditions, "True", "SufficientPods", "", 2, Now.AddMinutes(2));
        conditions.Single().LastTransitionTime.Should().Be(Now.AddMinutes(2));
    }
}
