using k8s.Models;

namespace K8sSharp.Client.Scheduling;

/// <summary>Toleration matching as upstream's Toleration.ToleratesTaint, shared by the scheduler and the controllers.</summary>
public static class Tolerations
{
    /// <summary>
    /// An empty toleration effect matches every effect; an empty key (with operator Exists) matches every taint;
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
            null or "" or "Equal" => (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty),
            "Exists" => true,
            _ => false,
        };
    }

    public static bool IsTolerated(V1Taint taint, IEnumerable<V1Toleration>? tolerations) =>
        tolerations?.Any(t => Tolerates(t, taint)) ?? false;

    /// <summary>The first taint with one of <paramref name="effects"/> that no toleration tolerates, or null.</summary>
    public static V1Taint? FirstUntolerated(IEnumerable<V1Taint>? taints, IList<V1Toleration>? tolerations, params string[] effects) =>
        taints?.FirstOrDefault(t => effects.Contains(t.Effect) && !IsTolerated(t, tolerations));
}
