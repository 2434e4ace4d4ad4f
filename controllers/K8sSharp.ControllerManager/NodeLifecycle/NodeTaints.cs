using k8s.Models;

namespace K8sSharp.ControllerManager.NodeLifecycle;

/// <summary>
/// The taints the node lifecycle controller owns (upstream node_lifecycle_controller.go and api/core/v1 well-known
/// taints) and toleration matching (upstream Toleration.ToleratesTaint). NoSchedule taints mirror the Node's
/// conditions; the NoExecute not-ready/unreachable taints drive taint-based eviction.
/// </summary>
internal static class NodeTaints
{
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string Unschedulable = "node.kubernetes.io/unschedulable";
    public const string MemoryPressure = "node.kubernetes.io/memory-pressure";
    public const string DiskPressure = "node.kubernetes.io/disk-pressure";
    public const string PidPressure = "node.kubernetes.io/pid-pressure";
    public const string NetworkUnavailable = "node.kubernetes.io/network-unavailable";
    public const string NoSchedule = "NoSchedule";
    public const string NoExecute = "NoExecute";

    /// <summary>Condition (type, status) to the NoSchedule taint it implies (upstream nodeConditionToTaintKeyStatusMap).</summary>
    private static readonly (string Type, string Status, string Taint)[] ConditionTaints =
    [
        ("Ready", "False", NotReady),
        ("Ready", "Unknown", Unreachable),
        ("MemoryPressure", "True", MemoryPressure),
        ("DiskPressure", "True", DiskPressure),
        ("NetworkUnavailable", "True", NetworkUnavailable),
        ("PIDPressure", "True", PidPressure),
    ];

    /// <summary>Every taint key this controller may put with NoSchedule; others on the Node are left as they are.</summary>
    public static readonly IReadOnlySet<string> OwnedNoScheduleKeys =
        new HashSet<string>(ConditionTaints.Select(c => c.Taint).Append(Unschedulable), StringComparer.Ordinal);

    /// <summary>The NoSchedule taint keys the Node's conditions and spec.unschedulable call for.</summary>
    public static HashSet<string> NoScheduleKeysFor(V1Node node)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var condition in node.Status?.Conditions ?? [])
        {
            foreach (var (type, status, taint) in ConditionTaints)
            {
                if (condition.Type == type && condition.Status == status)
                {
                    keys.Add(taint);
                }
            }
        }
        if (node.Spec?.Unschedulable == true)
        {
            keys.Add(Unschedulable);
        }
        return keys;
    }

    /// <summary>The NoExecute taint the Ready condition calls for: not-ready for False, unreachable for Unknown, none for True.</summary>
    public static string? NoExecuteKeyFor(string? readyStatus) => readyStatus switch
    {
        "False" => NotReady,
        "Unknown" => Unreachable,
        _ => null,
    };

    public static bool Has(V1Node node, string key, string effect) =>
        node.Spec?.Taints?.Any(t => t.Key == key && t.Effect == effect) == true;

    public static IReadOnlyList<V1Taint> NoExecuteTaints(V1Node? node) =>
        node?.Spec?.Taints?.Where(t => t.Effect == NoExecute).ToList() ?? [];
}
