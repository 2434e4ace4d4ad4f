using k8s.Models;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>One ReplicaSet resize a scaling decision asks for.</summary>
internal sealed record ScaleStep(V1ReplicaSet ReplicaSet, int Replicas);

/// <summary>
/// What a change of spec.replicas does to a deployment's ReplicaSets (upstream DeploymentController.scale): with one
/// active (or only a latest) RS, that one takes the new size; a saturated new RS leaves none to the old ones; during a
/// rolling update the difference to replicas + maxSurge is spread in proportion to each RS's share of the previous
/// max-replicas annotation, the rounding leftover going to the first RS in the order (largest first).
/// </summary>
internal static class ProportionalScaling
{
    /// <summary>
    /// The resizes to make. <c>RefreshAnnotations</c> is true when every listed RS should be written even at its current
    /// size, to refresh the desired/max-replicas annotations (the proportional case).
    /// </summary>
    public static (IReadOnlyList<ScaleStep> Steps, bool RefreshAnnotations) Plan(V1Deployment d, V1ReplicaSet? newRS, IReadOnlyList<V1ReplicaSet> oldRSs)
    {
        var replicas = RollingMath.Replicas(d);
        if (ActiveOrLatest(newRS, oldRSs) is { } only)
        {
            return (RollingMath.Replicas(only) == replicas ? [] : [new ScaleStep(only, replicas)], false);
        }
        if (IsSaturated(d, newRS))
        {
            return ([.. ReplicaSetCounts.Active(oldRSs).Select(rs => new ScaleStep(rs, 0))], false);
        }
        if (!RollingMath.IsRollingUpdate(d))
        {
            return ([], false);
        }
        return (Proportional(d, ReplicaSetCounts.Active(ReplicaSetCounts.With(oldRSs, newRS))), true);
    }

    private static List<ScaleStep> Proportional(V1Deployment d, List<V1ReplicaSet> active)
    {
        var replicas = RollingMath.Replicas(d);
        var allowed = replicas > 0 ? replicas + RollingMath.MaxSurge(d) : 0;
        var toAdd = allowed - ReplicaSetCounts.Spec(active);
        var ordered = toAdd > 0 ? ReplicaSetCounts.BySizeNewer(active) : toAdd < 0 ? ReplicaSetCounts.BySizeOlder(active) : active;
        var sizes = new List<int>();
        var added = 0;
        foreach (var rs in ordered)
        {
            var proportion = Proportion(rs, d, toAdd, added);
            sizes.Add(RollingMath.Replicas(rs) + proportion);
            added += proportion;
        }
        if (toAdd != 0 && added != toAdd && sizes.Count > 0)
        {
            sizes[0] = Math.Max(0, sizes[0] + toAdd - added);
        }
        return [.. ordered.Select((rs, i) => new ScaleStep(rs, sizes[i]))];
    }

    /// <summary>The share of <paramref name="toAdd"/> this RS gets, capped by what is left (upstream GetProportion).</summary>
    public static int Proportion(V1ReplicaSet rs, V1Deployment d, int toAdd, int added)
    {
        if (RollingMath.Replicas(rs) == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }
        var fraction = Fraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    /// <summary>How many replicas this RS gains (or loses) at the new size (upstream getReplicaSetFraction).</summary>
    private static int Fraction(V1ReplicaSet rs, V1Deployment d)
    {
        var replicas = RollingMath.Replicas(d);
        if (replicas == 0)
        {
            return -RollingMath.Replicas(rs);
        }
        var deploymentReplicas = replicas + RollingMath.MaxSurge(d);
        var annotated = DeploymentAnnotations.IntAnnotation(rs, DeploymentAnnotations.MaxReplicas) ?? d.Status?.Replicas ?? 0;
        if (annotated == 0)
        {
            return 0; // nothing to be proportional to (Go would divide by zero into +Inf)
        }
        var newSize = (double)RollingMath.Replicas(rs) * deploymentReplicas / annotated;
        return RoundHalfAwayFromZero(newSize) - RollingMath.Replicas(rs);
    }

    private static int RoundHalfAwayFromZero(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);

    /// <summary>The one RS that should take the whole size: the only active one, or the newest when none is active (FindActiveOrLatest).</summary>
    public static V1ReplicaSet? ActiveOrLatest(V1ReplicaSet? newRS, IReadOnlyList<V1ReplicaSet> oldRSs)
    {
        if (newRS is null && oldRSs.Count == 0)
        {
            return null;
        }
        var active = ReplicaSetCounts.Active(ReplicaSetCounts.With(oldRSs, newRS));
        return active.Count switch
        {
            0 => newRS ?? ReplicaSetCounts.ByCreation(oldRSs).Last(),
            1 => active[0],
            _ => null,
        };
    }

    /// <summary>The new RS has the full size, was sized for it, and all of it is available (upstream IsSaturated).</summary>
    public static bool IsSaturated(V1Deployment d, V1ReplicaSet? rs)
    {
        if (rs is null)
        {
            return false;
        }
        var replicas = RollingMath.Replicas(d);
        return RollingMath.Replicas(rs) == replicas
            && DeploymentAnnotations.IntAnnotation(rs, DeploymentAnnotations.DesiredReplicas) == replicas
            && (rs.Status?.AvailableReplicas ?? 0) == replicas;
    }
}
