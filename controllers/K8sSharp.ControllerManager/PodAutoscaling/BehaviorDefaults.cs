using k8s.Models;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// autoscaling/v2's behavior defaults (upstream SetDefaults_HorizontalPodAutoscalerBehavior), applied to a copy: a
/// missing scaleUp is no stabilization, selectPolicy Max, 4 pods or 100% per 15 s; a missing scaleDown is
/// selectPolicy Max, 100% per 15 s; unset fields of a given direction take those values. The scale-down window, when
/// unset, is the controller's --horizontal-pod-autoscaler-downscale-stabilization (upstream's
/// maybeInitScaleDownStabilizationWindow). A nil behavior stays nil: the controller then uses its legacy rules.
/// </summary>
internal static class BehaviorDefaults
{
    public static V2HorizontalPodAutoscalerBehavior? Complete(V2HorizontalPodAutoscalerBehavior? behavior, TimeSpan downscaleStabilization)
    {
        if (behavior is null)
        {
            return null;
        }
        var up = Rules(behavior.ScaleUp, 0, [Policy("Pods", 4), Policy("Percent", 100)]);
        var down = Rules(behavior.ScaleDown, (int)downscaleStabilization.TotalSeconds, [Policy("Percent", 100)]);
        return new V2HorizontalPodAutoscalerBehavior { ScaleUp = up, ScaleDown = down };
    }

    private static V2HPAScalingRules Rules(V2HPAScalingRules? given, int window, List<V2HPAScalingPolicy> policies) => new()
    {
        StabilizationWindowSeconds = given?.StabilizationWindowSeconds ?? window,
        SelectPolicy = given?.SelectPolicy ?? "Max",
        Policies = given?.Policies is { Count: > 0 } set ? set : policies,
    };

    private static V2HPAScalingPolicy Policy(string type, int value) => new() { Type = type, Value = value, PeriodSeconds = 15 };
}
