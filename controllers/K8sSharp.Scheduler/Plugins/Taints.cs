using k8s.Models;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>Toleration matching with upstream's semantics (v1helper.TolerationsTolerateTaint).</summary>
internal static class Taints
{
    public const string NoSchedule = "NoSchedule";
    public const string NoExecute = "NoExecute";
    public const string PreferNoSchedule = "PreferNoSchedule";

    /// <summary>
    /// An empty toleration effect matches every effect; an empty key with operator Exists matches every taint;
    /// Exists ignores the value, Equal (the default) needs the same value.
    /// </summary>
    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        ArgumentNullException.ThrowIfNull(toleration);
        ArgumentNullException.ThrowIfNull(taint);
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }
        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }
        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            "" or null or "Equal" => !string.IsNullOrEmpty(toleration.Key) && (toleration.Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }

    public static bool IsTolerated(V1Taint taint, IEnumerable<V1Toleration>? tolerations) =>
        tolerations?.Any(t => Tolerates(t, taint)) ?? false;

    /// <summary>The first taint with one of <paramref name="effects"/> that no toleration tolerates, or null.</summary>
    public static V1Taint? FirstUntolerated(IEnumerable<V1Taint>? taints, IList<V1Toleration>? tolerations, params string[] effects) =>
        taints?.FirstOrDefault(t => effects.Contains(t.Effect) && !IsTolerated(t, tolerations));
}
