using k8s.Models;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.StatefulSets;

/// <summary>One write of a StatefulSet reconcile: create the pod at an ordinal (from the current or the update revision), or delete a pod.</summary>
internal sealed record StatefulStep(int Ordinal, V1Pod? Victim, bool FromUpdateRevision)
{
    public bool IsCreate => Victim is null;

    public static StatefulStep Create(int ordinal, bool fromUpdateRevision) => new(ordinal, null, fromUpdateRevision);

    public static StatefulStep Delete(int ordinal, V1Pod pod) => new(ordinal, pod, false);
}

/// <summary>The pods a StatefulSet owns, split by ordinal: <c>Replicas[i]</c> is ordinal start+i (null when missing); <c>Condemned</c> are the rest, highest ordinal first.</summary>
internal sealed record StatefulPodSet(V1Pod?[] Replicas, IReadOnlyList<(int Ordinal, V1Pod Pod)> Condemned);

/// <summary>
/// The ordered steps of upstream's updateStatefulSet, as a pure function. OrderedReady ("monotonic") stops at the
/// first step and waits while any pod is not Running and Ready (creation in ordinal order, deletion from the highest
/// ordinal); Parallel takes every step at once. Failed or succeeded pods are deleted to be recreated. Once every
/// replica exists and (monotonic) is healthy, condemned pods go, then a RollingUpdate replaces pods not on the update
/// revision from the highest ordinal down to the partition, at most maxUnavailable unavailable at a time.
/// </summary>
internal static class StatefulSetPlanner
{
    public static StatefulPodSet Split(V1StatefulSet set, IEnumerable<V1Pod> owned)
    {
        var start = StatefulPods.StartOrdinal(set);
        var replicas = new V1Pod?[set.Spec.Replicas ?? 1];
        var condemned = new List<(int, V1Pod)>();
        foreach (var pod in owned)
        {
            var ordinal = StatefulPods.Ordinal(set, pod);
            if (ordinal < 0)
            {
                continue; // not named like one of ours: left alone, as upstream
            }
            if (ordinal >= start && ordinal < start + replicas.Length)
            {
                replicas[ordinal - start] = pod;
            }
            else
            {
                condemned.Add((ordinal, pod));
            }
        }
        return new StatefulPodSet(replicas, [.. condemned.OrderByDescending(c => c.Item1)]);
    }

    public static List<StatefulStep> Plan(V1StatefulSet set, StatefulPodSet pods, string updateRevision, DateTimeOffset now)
    {
        var steps = new List<StatefulStep>();
        var monotonic = set.Spec.PodManagementPolicy != "Parallel";
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var start = StatefulPods.StartOrdinal(set);
        for (var i = 0; i < pods.Replicas.Length; i++)
        {
            var pod = pods.Replicas[i];
            var wait = pod is null || !StatefulPods.IsHealthy(pod, minReady, now);
            if (pod is null)
            {
                steps.Add(StatefulStep.Create(start + i, CreatesFromUpdateRevision(set, start + i)));
            }
            else if (StatefulPods.IsFinished(pod) && !StatefulPods.IsTerminating(pod))
            {
                steps.Add(StatefulStep.Delete(start + i, pod));
            }
            if (monotonic && wait)
            {
                return steps;
            }
        }
        var firstUnhealthy = pods.Condemned.Select(c => c.Pod).LastOrDefault(p => !StatefulPods.IsHealthy(p, minReady, now));
        foreach (var (ordinal, pod) in pods.Condemned)
        {
            if (StatefulPods.IsTerminating(pod))
            {
                if (monotonic)
                {
                    return steps;
                }
                continue;
            }
            if (monotonic && !StatefulPods.IsRunningAndReady(pod) && pod != firstUnhealthy)
            {
                return steps;
            }
            steps.Add(StatefulStep.Delete(ordinal, pod));
            if (monotonic)
            {
                return steps;
            }
        }
        if (set.Spec.UpdateStrategy?.Type == "OnDelete")
        {
            return steps;
        }
        steps.AddRange(RollingUpdate(set, pods.Replicas, updateRevision, now));
        return steps;
    }

    /// <summary>Deletes pods off the update revision, highest ordinal first, down to the partition, within maxUnavailable.</summary>
    private static IEnumerable<StatefulStep> RollingUpdate(V1StatefulSet set, V1Pod?[] replicas, string updateRevision, DateTimeOffset now)
    {
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var rolling = set.Spec.UpdateStrategy?.RollingUpdate;
        var maxUnavailable = Math.Max(1, IntOrPercent.Scale(rolling?.MaxUnavailable, replicas.Length, roundUp: false, fallback: 1));
        var unavailable = replicas.Count(p => p is null || !StatefulPods.IsHealthy(p, minReady, now));
        var budget = maxUnavailable - unavailable;
        var start = StatefulPods.StartOrdinal(set);
        var partition = Math.Max(0, rolling?.Partition ?? 0);
        for (var i = replicas.Length - 1; i >= partition && budget > 0; i--)
        {
            var pod = replicas[i];
            if (pod is not null && StatefulPods.Revision(pod) != updateRevision && !StatefulPods.IsTerminating(pod))
            {
                budget--;
                yield return StatefulStep.Delete(start + i, pod);
            }
        }
    }

    /// <summary>
    /// Upstream newVersionedStatefulSetPod: below the partition (or, with RollingUpdate and no rollingUpdate block, below
    /// status.currentReplicas) a recreated pod keeps the current revision; elsewhere it gets the update revision.
    /// </summary>
    public static bool CreatesFromUpdateRevision(V1StatefulSet set, int ordinal)
    {
        var start = StatefulPods.StartOrdinal(set);
        var strategy = set.Spec.UpdateStrategy;
        var keepsCurrent =
            (strategy?.Type is null or "RollingUpdate" && strategy?.RollingUpdate is null && ordinal < start + (set.Status?.CurrentReplicas ?? 0))
            || (strategy?.RollingUpdate is { } rolling && ordinal < start + (rolling.Partition ?? 0));
        return !keepsCurrent;
    }
}
