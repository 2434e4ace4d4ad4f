using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>
/// The arithmetic of rolling updates (upstream pkg/controller/deployment/util/deployment_util.go and
/// apimachinery intstr.GetScaledValueFromIntOrPercent): how maxSurge and maxUnavailable resolve against the desired
/// replica count, and how many replicas a new ReplicaSet may have. Pure functions over the objects.
/// </summary>
internal static class RollingMath
{
    /// <summary>An int, or a percentage of <paramref name="total"/> rounded up (surge) or down (unavailable).</summary>
    public static int ScaledValue(string? intOrPercent, int total, bool roundUp)
    {
        if (string.IsNullOrEmpty(intOrPercent))
        {
            return 0;
        }
        if (int.TryParse(intOrPercent, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        if (!intOrPercent.EndsWith('%')
            || !int.TryParse(intOrPercent[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
        {
            throw new FormatException($"invalid value for IntOrString: invalid value \"{intOrPercent}\": is not a percentage");
        }
        var scaled = percent * (double)total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    /// <summary>
    /// (maxSurge, maxUnavailable) for <paramref name="desired"/> replicas (upstream ResolveFenceposts). Surge rounds
    /// up, unavailability down; when both come out 0 (only possible by rounding) unavailability becomes 1, else the
    /// rollout could never make progress.
    /// </summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(string? maxSurge, string? maxUnavailable, int desired)
    {
        var surge = ScaledValue(maxSurge, desired, roundUp: true);
        var unavailable = ScaledValue(maxUnavailable, desired, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    public static int Replicas(V1Deployment d) => d.Spec.Replicas ?? 1;

    public static int Replicas(V1ReplicaSet? rs) => rs?.Spec?.Replicas ?? 0;

    public static bool IsRollingUpdate(V1Deployment d) => d.Spec.Strategy?.Type is null or "RollingUpdate";

    /// <summary>The deployment's maxSurge as a count; 0 for Recreate or an invalid value (upstream MaxSurge).</summary>
    public static int MaxSurge(V1Deployment d) => IsRollingUpdate(d) ? Fenceposts(d).Surge : 0;

    /// <summary>The deployment's maxUnavailable as a count, at most spec.replicas (upstream MaxUnavailable).</summary>
    public static int MaxUnavailable(V1Deployment d)
    {
        var replicas = Replicas(d);
        return !IsRollingUpdate(d) || replicas == 0 ? 0 : Math.Min(Fenceposts(d).Unavailable, replicas);
    }

    private static (int Surge, int Unavailable) Fenceposts(V1Deployment d)
    {
        // The API server defaults an absent rollingUpdate to 25%/25%; inside it, an absent field means 0.
        var rolling = d.Spec.Strategy?.RollingUpdate;
        try
        {
            return rolling is null
                ? ResolveFenceposts("25%", "25%", Replicas(d))
                : ResolveFenceposts(rolling.MaxSurge?.Value, rolling.MaxUnavailable?.Value, Replicas(d));
        }
        catch (FormatException)
        {
            return (0, 0); // validation rejects such values; upstream ignores the error the same way
        }
    }

    /// <summary>
    /// How many replicas the new ReplicaSet should have now (upstream NewRSNewReplicas): under RollingUpdate, grow it
    /// while all pods together stay within replicas + maxSurge; under Recreate, the full count at once.
    /// </summary>
    public static int NewReplicaSetReplicas(V1Deployment d, IEnumerable<V1ReplicaSet?> allRSs, V1ReplicaSet newRS)
    {
        var replicas = Replicas(d);
        if (!IsRollingUpdate(d))
        {
            return replicas;
        }
        var maxTotal = replicas + MaxSurge(d);
        var current = ReplicaSetCounts.Spec(allRSs);
        if (current >= maxTotal)
        {
            return Replicas(newRS);
        }
        return Replicas(newRS) + Math.Min(maxTotal - current, replicas - Replicas(newRS));
    }
}
