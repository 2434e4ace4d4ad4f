using System.Globalization;
using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Disruption;

/// <summary>A pod's controller as the budget counts it: its uid (one count per controller) and its desired scale.</summary>
internal sealed record ControllerScale(string Uid, int Replicas);

/// <summary>The result of one budget computation: the status to write, or why it could not be computed.</summary>
/// <param name="RecheckAt">When the earliest recorded disruption expires and the status must be computed again.</param>
internal sealed record BudgetResult(V1PodDisruptionBudgetStatus? Status, string? Failure, DateTime? RecheckAt);

/// <summary>
/// The disruption controller's arithmetic (upstream pkg/controller/disruption, trySync/getExpectedPodCount/
/// countHealthyPods/updatePdbStatus). maxUnavailable and percentage minAvailable are relative to the expected pod
/// count, the sum of the scale of the pods' controllers; an integer minAvailable is relative to the matching pods.
/// Pods being deleted, or evicted (in status.disruptedPods) less than <see cref="DeletionTimeout"/> ago, are not healthy.
/// </summary>
internal static class DisruptionBudgets
{
    public const string DisruptionAllowedCondition = "DisruptionAllowed";
    public const string SufficientPods = "SufficientPods";
    public const string InsufficientPods = "InsufficientPods";
    public const string SyncFailed = "SyncFailed";

    /// <summary>How long an eviction is expected to take to delete its pod (upstream's DeletionTimeout).</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    public static BudgetResult Compute(V1PodDisruptionBudget pdb, IReadOnlyList<V1Pod> pods, Func<V1Pod, ControllerScale?> scaleOf, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pdb);
        ArgumentNullException.ThrowIfNull(pods);
        int expected, desiredHealthy;
        try
        {
            (expected, desiredHealthy) = ExpectedAndDesired(pdb.Spec, pods, scaleOf);
        }
        catch (FormatException e)
        {
            return new BudgetResult(null, e.Message, null);
        }
        var (disrupted, recheck) = StillDisrupted(pdb.Status?.DisruptedPods, pods, now);
        var currentHealthy = pods.Count(p => p.Metadata.DeletionTimestamp is null && !disrupted.ContainsKey(p.Metadata.Name) && Pods.IsReady(p));
        var allowed = expected <= 0 ? 0 : Math.Max(0, currentHealthy - desiredHealthy);
        var status = new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = currentHealthy,
            DesiredHealthy = desiredHealthy,
            ExpectedPods = expected,
            DisruptionsAllowed = allowed,
            DisruptedPods = disrupted.Count == 0 ? null : disrupted,
            ObservedGeneration = pdb.Metadata.Generation,
            Conditions = CopyConditions(pdb.Status?.Conditions),
        };
        SetCondition(status.Conditions, allowed > 0 ? "True" : "False", allowed > 0 ? SufficientPods : InsufficientPods, string.Empty, status.ObservedGeneration, now);
        return new BudgetResult(status, null, recheck);
    }

    private static (int Expected, int DesiredHealthy) ExpectedAndDesired(V1PodDisruptionBudgetSpec spec, IReadOnlyList<V1Pod> pods, Func<V1Pod, ControllerScale?> scaleOf)
    {
        if (spec.MaxUnavailable is { } maxUnavailable)
        {
            var expected = ExpectedScale(pods, scaleOf);
            var unavailable = ScaledValue(maxUnavailable.Value, expected, roundUp: true);
            return (expected, Math.Max(0, expected - unavailable));
        }
        if (spec.MinAvailable is { } minAvailable)
        {
            if (!minAvailable.Value.EndsWith('%'))
            {
                return (pods.Count, ScaledValue(minAvailable.Value, pods.Count, roundUp: true));
            }
            var expected = ExpectedScale(pods, scaleOf);
            return (expected, ScaledValue(minAvailable.Value, expected, roundUp: true));
        }
        return (0, 0);
    }

    /// <summary>The sum of the scale of the pods' distinct controllers; pods without a controller count for nothing.</summary>
    private static int ExpectedScale(IReadOnlyList<V1Pod> pods, Func<V1Pod, ControllerScale?> scaleOf)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (Pods.ControllerOf(pod.Metadata) is null)
            {
                continue;
            }
            var scale = scaleOf(pod) ?? throw new FormatException($"found no controllers for pod \"{pod.Metadata.Name}\"");
            seen[scale.Uid] = scale.Replicas;
        }
        return seen.Values.Sum();
    }

    /// <summary>An integer, or a percentage of <paramref name="total"/> rounded up or down (GetScaledValueFromIntOrPercent).</summary>
    public static int ScaledValue(string value, int total, bool roundUp)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.EndsWith('%'))
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var plain)
                ? plain
                : throw new FormatException($"invalid value for IntOrString: invalid type: string is not a percentage");
        }
        if (!int.TryParse(value[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
        {
            throw new FormatException($"invalid value \"{value}\": must be an integer or a percentage");
        }
        var scaled = percent * (double)total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    /// <summary>Recorded disruptions of live pods that have not expired, and when the earliest of them expires.</summary>
    private static (Dictionary<string, DateTime?> Disrupted, DateTime? Recheck) StillDisrupted(IDictionary<string, DateTime?>? recorded, IReadOnlyList<V1Pod> pods, DateTime now)
    {
        var result = new Dictionary<string, DateTime?>(StringComparer.Ordinal);
        DateTime? recheck = null;
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            if (recorded?.TryGetValue(pod.Metadata.Name, out var at) != true || at is not { } disruptedAt)
            {
                continue;
            }
            var expires = disruptedAt.Add(DeletionTimeout);
            if (expires > now)
            {
                result[pod.Metadata.Name] = disruptedAt;
                recheck = recheck is null || expires < recheck ? expires : recheck;
            }
        }
        return (result, recheck);
    }

    /// <summary>apimachinery's SetStatusCondition: lastTransitionTime moves only when the status flips.</summary>
    public static void SetCondition(IList<V1Condition> conditions, string status, string reason, string message, long? observedGeneration, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = conditions.FirstOrDefault(c => c.Type == DisruptionAllowedCondition);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = DisruptionAllowedCondition, Status = status, Reason = reason, Message = message, ObservedGeneration = observedGeneration, LastTransitionTime = now,
            });
            return;
        }
        if (existing.Status != status)
        {
            existing.LastTransitionTime = now;
        }
        (existing.Status, existing.Reason, existing.Message, existing.ObservedGeneration) = (status, reason, message, observedGeneration);
    }

    /// <summary>Copies, so that changing them never touches the shared informer cache.</summary>
    public static List<V1Condition> CopyConditions(IList<V1Condition>? conditions) =>
    [
        .. (conditions ?? []).Select(c => new V1Condition
        {
            Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, ObservedGeneration = c.ObservedGeneration, LastTransitionTime = c.LastTransitionTime,
        }),
    ];

    /// <summary>Whether two statuses say the same (so no write is needed).</summary>
    public static bool SameStatus(V1PodDisruptionBudgetStatus? a, V1PodDisruptionBudgetStatus b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return a is not null
            && (a.CurrentHealthy, a.DesiredHealthy, a.ExpectedPods, a.DisruptionsAllowed, a.ObservedGeneration)
                == (b.CurrentHealthy, b.DesiredHealthy, b.ExpectedPods, b.DisruptionsAllowed, b.ObservedGeneration)
            && SameDisrupted(a.DisruptedPods, b.DisruptedPods)
            && SameConditions(a.Conditions, b.Conditions);
    }

    private static bool SameDisrupted(IDictionary<string, DateTime?>? a, IDictionary<string, DateTime?>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, DateTime?>()).All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value);

    private static bool SameConditions(IList<V1Condition>? a, IList<V1Condition>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a ?? []).Zip(b ?? []).All(p => (p.First.Type, p.First.Status, p.First.Reason, p.First.Message, p.First.ObservedGeneration)
            == (p.Second.Type, p.Second.Status, p.Second.Reason, p.Second.Message, p.Second.ObservedGeneration));
}
