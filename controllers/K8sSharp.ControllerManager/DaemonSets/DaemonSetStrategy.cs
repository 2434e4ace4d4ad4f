using k8s.Models;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>The update strategy's numbers (upstream daemon/util UnavailableCount, SurgeCount, AllowsSurge).</summary>
internal static class DaemonSetStrategy
{
    public static bool IsRollingUpdate(V1DaemonSet ds) => (ds.Spec.UpdateStrategy?.Type ?? "RollingUpdate") == "RollingUpdate";

    /// <summary>maxUnavailable scaled to <paramref name="desired"/> nodes (percentages round up); 0 unless RollingUpdate.</summary>
    public static int MaxUnavailable(V1DaemonSet ds, int desired) =>
        IsRollingUpdate(ds) ? IntOrPercent.Scale(ds.Spec.UpdateStrategy?.RollingUpdate?.MaxUnavailable, desired, roundUp: true) : 0;

    /// <summary>maxSurge scaled to <paramref name="desired"/> nodes (percentages round up); 0 unless RollingUpdate.</summary>
    public static int MaxSurge(V1DaemonSet ds, int desired) =>
        IsRollingUpdate(ds) ? IntOrPercent.Scale(ds.Spec.UpdateStrategy?.RollingUpdate?.MaxSurge, desired, roundUp: true) : 0;

    /// <summary>Whether a node may briefly hold an old and a new pod during an update.</summary>
    public static bool AllowsSurge(V1DaemonSet ds) => MaxSurge(ds, 1) != 0;
}
