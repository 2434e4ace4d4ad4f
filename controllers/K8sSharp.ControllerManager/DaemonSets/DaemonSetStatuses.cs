using System.Text.Json.Nodes;
using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>The DaemonSet status counts (upstream updateDaemonSetStatus), from the nodes and the pods targeting them.</summary>
internal static class DaemonSetStatuses
{
    public static V1DaemonSetStatus Compute(
        V1DaemonSet ds, IReadOnlyList<V1Node> nodes, IReadOnlyDictionary<string, List<V1Pod>> podsByNode, string hash, DateTimeOffset now)
    {
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        var generation = DaemonPods.TemplateGeneration(ds);
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        foreach (var node in nodes)
        {
            var scheduled = podsByNode.TryGetValue(node.Metadata.Name, out var pods) && pods.Count > 0;
            if (!DaemonPods.Evaluate(node, ds).ShouldRun)
            {
                misscheduled += scheduled ? 1 : 0;
                continue;
            }
            desired++;
            if (!scheduled)
            {
                continue;
            }
            current++;
            var pod = DaemonSetPlanner.OldestFirst(pods!).First();
            if (Pods.IsReady(pod))
            {
                ready++;
                available += Pods.IsAvailable(pod, minReady, now) ? 1 : 0;
            }
            updated += DaemonPods.IsUpdated(pod, hash, generation) ? 1 : 0;
        }
        return new V1DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = current,
            NumberMisscheduled = misscheduled,
            NumberReady = ready,
            NumberAvailable = available,
            NumberUnavailable = desired - available,
            UpdatedNumberScheduled = updated,
            ObservedGeneration = ds.Metadata.Generation,
            CollisionCount = ds.Status?.CollisionCount,
        };
    }

    public static bool Same(V1DaemonSetStatus? a, V1DaemonSetStatus b) =>
        a is not null
        && a.DesiredNumberScheduled == b.DesiredNumberScheduled
        && a.CurrentNumberScheduled == b.CurrentNumberScheduled
        && a.NumberMisscheduled == b.NumberMisscheduled
        && a.NumberReady == b.NumberReady
        && (a.NumberAvailable ?? 0) == b.NumberAvailable
        && (a.NumberUnavailable ?? 0) == b.NumberUnavailable
        && (a.UpdatedNumberScheduled ?? 0) == b.UpdatedNumberScheduled
        && a.ObservedGeneration == b.ObservedGeneration;

    /// <summary>The counts as a merge patch of the status subresource (collisionCount and conditions untouched).</summary>
    public static JsonObject ToPatch(V1DaemonSetStatus s) => new()
    {
        ["status"] = new JsonObject
        {
            ["desiredNumberScheduled"] = s.DesiredNumberScheduled,
            ["currentNumberScheduled"] = s.CurrentNumberScheduled,
            ["numberMisscheduled"] = s.NumberMisscheduled,
            ["numberReady"] = s.NumberReady,
            ["numberAvailable"] = s.NumberAvailable,
            ["numberUnavailable"] = s.NumberUnavailable,
            ["updatedNumberScheduled"] = s.UpdatedNumberScheduled,
            ["observedGeneration"] = s.ObservedGeneration,
        },
    };
}
