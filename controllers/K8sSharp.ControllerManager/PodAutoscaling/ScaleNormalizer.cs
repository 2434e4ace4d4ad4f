using k8s.Models;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// The outcome of normalizing a metrics proposal: the replica count to apply, the AbleToScale reason and message
/// (ReadyForNewScale or Scale{Up,Down}Stabilized) and the ScalingLimited condition (True when a bound or rate cut
/// the stabilized recommendation).
/// </summary>
internal sealed record Normalized(int Desired, string AbleReason, string AbleMessage, bool Limited, string LimitReason, string LimitMessage);

/// <summary>
/// Upstream's normalizeDesiredReplicas(WithBehaviors): stabilization over the recommendation history, then the
/// min/max bounds and the scale rate. Without a behavior, scale-downs take the highest recommendation of the
/// downscale-stabilization window and scale-ups are capped at max(2 × current, 4); with one, each direction has its
/// stabilization window and its Pods/Percent policies per period (selectPolicy Max, Min or Disabled).
/// </summary>
internal static class ScaleNormalizer
{
    private const string ReadyForNewScale = "ReadyForNewScale";
    private const string ReadyMessage = "recommended size matches current size";
    private const string ScaleUpStabilized = "ScaleUpStabilized";
    private const string ScaleUpStabilizedMessage = "recent recommendations were lower than current one, applying the lowest recent recommendation";
    private const string ScaleDownStabilized = "ScaleDownStabilized";
    private const string ScaleDownStabilizedMessage = "recent recommendations were higher than current one, applying the highest recent recommendation";

    public static Normalized WithoutBehavior(ScaleHistory history, int current, int proposed, int min, int max, TimeSpan downscaleWindow, DateTimeOffset now)
    {
        var cutoff = now - downscaleWindow;
        var stabilized = history.Recommendations.Where(r => r.At >= cutoff).Select(r => r.Replicas).Append(proposed).Max();
        history.Record(proposed, now, at => at < cutoff);
        var (able, ableMessage) = stabilized != proposed ? (ScaleDownStabilized, ScaleDownStabilizedMessage) : (ReadyForNewScale, ReadyMessage);
        var scaleUpLimit = Math.Max(2 * current, 4);
        var (upper, upperReason, upperMessage) = max > scaleUpLimit
            ? (scaleUpLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
            : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
        if (stabilized < min)
        {
            return new(min, able, ableMessage, true, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
        }
        return stabilized > upper
            ? new(upper, able, ableMessage, true, upperReason, upperMessage)
            : new(stabilized, able, ableMessage, false, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    public static Normalized WithBehavior(ScaleHistory history, V2HorizontalPodAutoscalerBehavior behavior, int current, int proposed, int min, int max, DateTimeOffset now)
    {
        var up = behavior.ScaleUp;
        var down = behavior.ScaleDown;
        var upCutoff = now - TimeSpan.FromSeconds(up.StabilizationWindowSeconds ?? 0);
        var downCutoff = now - TimeSpan.FromSeconds(down.StabilizationWindowSeconds ?? 0);
        var upLimit = history.Recommendations.Where(r => r.At > upCutoff).Select(r => r.Replicas).Append(proposed).Min();
        var downLimit = history.Recommendations.Where(r => r.At > downCutoff).Select(r => r.Replicas).Append(proposed).Max();
        var stabilized = Math.Min(Math.Max(current, upLimit), downLimit);
        history.Record(proposed, now, at => at < upCutoff && at < downCutoff);
        var (able, ableMessage) = stabilized == proposed ? (ReadyForNewScale, ReadyMessage)
            : proposed >= current ? (ScaleUpStabilized, ScaleUpStabilizedMessage) : (ScaleDownStabilized, ScaleDownStabilizedMessage);
        var (desired, reason, message) = LimitRate(history, up, down, current, stabilized, min, max, now);
        return new(desired, able, ableMessage, desired != stabilized, reason, message);
    }

    private static (int Desired, string Reason, string Message) LimitRate(ScaleHistory history, V2HPAScalingRules up, V2HPAScalingRules down,
        int current, int desired, int min, int max, DateTimeOffset now)
    {
        if (desired > current)
        {
            var limit = Math.Max(ScaleUpLimit(history, up, current, now), current);
            var (upper, reason, message) = max > limit
                ? (limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
                : (max, "TooManyReplicas", "the desired replica count is more than the maximum replica count");
            if (desired > upper)
            {
                return (upper, reason, message);
            }
        }
        else if (desired < current)
        {
            var limit = Math.Min(ScaleDownLimit(history, down, current, now), current);
            var (lower, reason, message) = min < limit
                ? (limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
                : (min, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
            if (desired < lower)
            {
                return (lower, reason, message);
            }
        }
        return (desired, "DesiredWithinRange", "the desired count is within the acceptable range");
    }

    /// <summary>The most replicas the scale-up policies allow now, counted from the size at each period's start.</summary>
    internal static int ScaleUpLimit(ScaleHistory history, V2HPAScalingRules rules, int current, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }
        var proposals = rules.Policies.Select(policy =>
        {
            var periodStart = current - ScaleHistory.ChangeWithin(history.ScaleUps, policy.PeriodSeconds, now)
                + ScaleHistory.ChangeWithin(history.ScaleDowns, policy.PeriodSeconds, now);
            return policy.Type == "Pods" ? periodStart + policy.Value : (int)Math.Ceiling(periodStart * (1 + policy.Value / 100.0));
        }).ToList();
        return rules.SelectPolicy == "Min" ? proposals.DefaultIfEmpty(int.MaxValue).Min() : proposals.DefaultIfEmpty(int.MinValue).Max();
    }

    /// <summary>The fewest replicas the scale-down policies allow now, counted from the size at each period's start.</summary>
    internal static int ScaleDownLimit(ScaleHistory history, V2HPAScalingRules rules, int current, DateTimeOffset now)
    {
        if (rules.SelectPolicy == "Disabled")
        {
            return current;
        }
        var proposals = rules.Policies.Select(policy =>
        {
            var periodStart = current - ScaleHistory.ChangeWithin(history.ScaleUps, policy.PeriodSeconds, now)
                + ScaleHistory.ChangeWithin(history.ScaleDowns, policy.PeriodSeconds, now);
            return policy.Type == "Pods" ? periodStart - policy.Value : (int)(periodStart * (1 - policy.Value / 100.0));
        }).ToList();
        return rules.SelectPolicy == "Min" ? proposals.DefaultIfEmpty(int.MinValue).Max() : proposals.DefaultIfEmpty(int.MaxValue).Min();
    }
}
