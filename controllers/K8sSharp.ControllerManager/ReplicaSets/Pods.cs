using k8s.Models;
using K8sSharp.Client.Cache;

namespace K8sSharp.ControllerManager.ReplicaSets;

/// <summary>Pod predicates and orderings the ReplicaSet controller uses (upstream pkg/controller/controller_utils.go, pkg/api/v1/pod).</summary>
internal static class Pods
{
    /// <summary>A pod counts toward replicas unless it finished or is being deleted (upstream IsPodActive).</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata.DeletionTimestamp is null;

    public static V1PodCondition? ReadyCondition(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> by <paramref name="now"/> (upstream IsPodAvailable).</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }
        if (minReadySeconds == 0)
        {
            return true;
        }
        return ready.LastTransitionTime is { } since && new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).AddSeconds(minReadySeconds) <= now;
    }

    /// <summary>The owner reference with controller=true, if any.</summary>
    public static V1OwnerReference? ControllerOf(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    public static string Key(V1Pod pod) => ObjectKeys.For(pod);

    /// <summary>
    /// Orders pods so that the ones to delete first come first (upstream ActivePods/controller.ActivePods Less):
    /// unscheduled before scheduled; Pending before Unknown before Running; not ready before ready; more restarts
    /// first; newer before older.
    /// </summary>
    public static IEnumerable<V1Pod> InDeletionOrder(IEnumerable<V1Pod> pods) => pods
        .OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1)
        .ThenBy(p => PhaseRank(p.Status?.Phase))
        .ThenBy(p => IsReady(p) ? 1 : 0)
        .ThenByDescending(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0)
        .ThenByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue);

    private static int PhaseRank(string? phase) => phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
}
