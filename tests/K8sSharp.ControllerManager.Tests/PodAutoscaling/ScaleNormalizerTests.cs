using k8s.Models;
using K8sSharp.ControllerManager.PodAutoscaling;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests.PodAutoscaling;

/// <summary>Stabilization windows and behavior policies over a recommendation history, in virtual time.</summary>
public sealed class ScaleNormalizerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ScaleHistory history = new();

    private DateTimeOffset Now => time.GetUtcNow();

    private static V2HorizontalPodAutoscalerBehavior Behavior(V2HPAScalingRules? up = null, V2HPAScalingRules? down = null) =>
        BehaviorDefaults.Complete(new V2HorizontalPodAutoscalerBehavior { ScaleUp = up, ScaleDown = down }, Window)!;

    private static V2HPAScalingPolicy Policy(string type, int value, int period) => new() { Type = type, Value = value, PeriodSeconds = period };

    [Theory]
    [InlineData(1, 10, 1, 20, 4, true, "ScaleUpLimit")]      // max(2 × 1, 4)
    [InlineData(3, 10, 1, 20, 6, true, "ScaleUpLimit")]      // 2 × 3
    [InlineData(3, 8, 1, 5, 5, true, "TooManyReplicas")]
    [InlineData(3, 2, 2, 5, 3, false, "DesiredWithinRange")] // held by the stabilization window (3 recorded first)
    [InlineData(3, 0, 1, 5, 3, false, "DesiredWithinRange")]
    [InlineData(1, 3, 1, 5, 3, false, "DesiredWithinRange")]
    public void Without_behavior_the_legacy_limits_apply(int current, int proposed, int min, int max, int expected, bool limited, string reason)
    {
        history.RecordInitial(current, Now);

        var result = ScaleNormalizer.WithoutBehavior(history, current, proposed, min, max, Window, Now);

        result.Desired.Should().Be(expected);
        result.Limited.Should().Be(limited);
        result.LimitReason.Should().Be(reason);
    }

    [Fact]
    public void Without_behavior_a_scale_down_takes_the_highest_recommendation_of_the_last_five_minutes()
    {
        history.RecordInitial(5, Now);
        ScaleNormalizer.WithoutBehavior(history, 5, 2, 1, 10, Window, Now).Should().Match<Normalized>(n => n.Desired == 5 && n.AbleReason == "ScaleDownStabilized");
        time.Advance(TimeSpan.FromMinutes(2));
        ScaleNormalizer.WithoutBehavior(history, 5, 4, 1, 10, Window, Now).Desired.Should().Be(5);
        time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        ScaleNormalizer.WithoutBehavior(history, 5, 2, 1, 10, Window, Now).Desired.Should().Be(4, "the 5 and the 2 of the first sync expired; the 4 has not");
        time.Advance(TimeSpan.FromMinutes(2));
        ScaleNormalizer.WithoutBehavior(history, 5, 2, 1, 10, Window, Now).Should().Match<Normalized>(n => n.Desired == 2 && n.AbleReason == "ReadyForNewScale");
    }

    [Fact]
    public void Default_scale_up_allows_four_pods_or_doubling_per_fifteen_seconds()
    {
        var behavior = Behavior();
        history.RecordInitial(2, Now);

        var first = ScaleNormalizer.WithBehavior(history, behavior, 2, 20, 1, 50, Now);
        first.Should().Match<Normalized>(n => n.Desired == 6 && n.Limited && n.LimitReason == "ScaleUpLimit");
        history.RecordScale(2, 6, 15, Now);

        time.Advance(TimeSpan.FromSeconds(10));
        ScaleNormalizer.WithBehavior(history, behavior, 6, 20, 1, 50, Now).Desired.Should().Be(6, "the period began at 2: 2 + 4 and 2 × 2 are both used up");

        time.Advance(TimeSpan.FromSeconds(6));
        ScaleNormalizer.WithBehavior(history, behavior, 6, 20, 1, 50, Now).Desired.Should().Be(12, "a new period: 6 × 2 beats 6 + 4");
    }

    [Fact]
    public void Select_policy_min_takes_the_smaller_change_and_disabled_none()
    {
        var min = Behavior(up: new V2HPAScalingRules { SelectPolicy = "Min", Policies = [Policy("Pods", 1, 60), Policy("Percent", 100, 60)] });
        history.RecordInitial(4, Now);
        ScaleNormalizer.WithBehavior(history, min, 4, 10, 1, 20, Now).Desired.Should().Be(5);

        var disabled = Behavior(down: new V2HPAScalingRules { SelectPolicy = "Disabled", StabilizationWindowSeconds = 0 });
        ScaleNormalizer.WithBehavior(new ScaleHistory(), disabled, 4, 1, 1, 20, Now).Desired.Should().Be(4);
    }

    [Fact]
    public void Scale_down_policies_count_from_the_size_at_the_start_of_the_period()
    {
        var behavior = Behavior(down: new V2HPAScalingRules { StabilizationWindowSeconds = 0, Policies = [Policy("Pods", 2, 60)] });
        history.RecordInitial(10, Now);

        ScaleNormalizer.WithBehavior(history, behavior, 10, 1, 1, 20, Now)
            .Should().Match<Normalized>(n => n.Desired == 8 && n.LimitReason == "ScaleDownLimit");
        history.RecordScale(10, 8, 60, Now);

        time.Advance(TimeSpan.FromSeconds(30));
        ScaleNormalizer.WithBehavior(history, behavior, 8, 1, 1, 20, Now).Desired.Should().Be(8);
        time.Advance(TimeSpan.FromSeconds(31));
        ScaleNormalizer.WithBehavior(history, behavior, 8, 1, 1, 20, Now).Desired.Should().Be(6);
    }

    [Fact]
    public void A_scale_up_window_applies_the_lowest_recent_recommendation()
    {
        var behavior = Behavior(up: new V2HPAScalingRules { StabilizationWindowSeconds = 60 });
        history.RecordInitial(2, Now);

        ScaleNormalizer.WithBehavior(history, behavior, 2, 8, 1, 20, Now)
            .Should().Match<Normalized>(n => n.Desired == 2 && n.AbleReason == "ScaleUpStabilized");
        time.Advance(TimeSpan.FromSeconds(61));
        ScaleNormalizer.WithBehavior(history, behavior, 2, 8, 1, 20, Now).Desired.Should().Be(6, "8 is stable for a minute; the rate allows 2 + 4");
    }

    [Fact]
    public void The_default_scale_down_window_is_the_controller_flag()
    {
        var behavior = Behavior(up: new V2HPAScalingRules { StabilizationWindowSeconds = 0 });

        behavior.ScaleDown.StabilizationWindowSeconds.Should().Be(300);
        behavior.ScaleDown.Policies.Should().ContainSingle(p => p.Type == "Percent" && p.Value == 100 && p.PeriodSeconds == 15);
        behavior.ScaleUp.Policies.Select(p => $"{p.Type}/{p.Value}/{p.PeriodSeconds}").Should().Equal("Pods/4/15", "Percent/100/15");
        BehaviorDefaults.Complete(null, Window).Should().BeNull();
    }
}
