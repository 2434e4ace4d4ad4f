using k8s.Models;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>The HPA condition types and upstream's setCondition.</summary>
internal static class HpaConditions
{
    public const string AbleToScale = "AbleToScale";
    public const string ScalingActive = "ScalingActive";
    public const string ScalingLimited = "ScalingLimited";

    /// <summary>
    /// Sets the condition of <paramref name="type"/> (appending it when absent); its lastTransitionTime moves to
    /// <paramref name="now"/> only when the status changes.
    /// </summary>
    public static void Set(V2HorizontalPodAutoscalerStatus status, string type, bool value, string reason, string message, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(status);
        status.Conditions ??= [];
        var condition = status.Conditions.FirstOrDefault(c => c.Type == type);
        if (condition is null)
        {
            condition = new V2HorizontalPodAutoscalerCondition { Type = type };
            status.Conditions.Add(condition);
        }
        var text = value ? "True" : "False";
        if (condition.Status != text)
        {
            condition.LastTransitionTime = now;
        }
        condition.Status = text;
        condition.Reason = reason;
        condition.Message = message;
    }
}
