using k8s.Models;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.Revisions;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>The writes one reconcile of a DaemonSet makes: pods to create (one per node named) and pods to delete.</summary>
internal sealed record DaemonSetPlan(IReadOnlyList<string> CreateOn, IReadOnlyList<V1Pod> Delete)
{
    public static readonly DaemonSetPlan Nothing = new([], []);

    public bool IsEmpty => CreateOn.Count == 0 && Delete.Count == 0;
}

/// <summary>
/// What a DaemonSet's pods should become, as pure functions of the nodes and the pods it owns (upstream
/// daemon_controller.go manage/podsShouldBeOnNode and update.go rollingUpdate). <c>podsByNode</c> maps a node name to
/// the DaemonSet's pods targeting it (terminating ones included: a node whose pod is still going away gets no new one).
/// </summary>
internal static class DaemonSetPlanner
{
    /// <summary>One pod on every node that should run one, none elsewhere, failed pods replaced, duplicates removed.</summary>
    public static DaemonSetPlan Manage(V1DaemonSet ds, IReadOnlyList<V1Node> nodes, IReadOnlyDictionary<string, List<V1Pod>> podsByNode, string hash)
    {
        var create = new List<string>();
        var delete = new List<V1Pod>();
        var surge = DaemonSetStrategy.AllowsSurge(ds);
        foreach (var node in nodes)
        {
            var eligibility = DaemonPods.Evaluate(node, ds);
            var pods = podsByNode.GetValueOrDefault(node.Metadata.Name) ?? [];
            if (eligibility.ShouldRun && pods.Count == 0)
            {
                create.Add(node.Metadata.Name);
            }
            else if (eligibility.ShouldContinueRunning)
            {
                delete.AddRange(Surplus(pods, hash, surge));
            }
            else
            {
                delete.AddRange(pods.Where(p => p.Metadata.DeletionTimestamp is null));
            }
        }
        // Unscheduled pods for nodes that no longer exist are never bound, so the pod GC would never collect them.
        var known = nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        delete.AddRange(podsByNode.Where(p => !known.Contains(p.Key)).SelectMany(p => p.Value)
            .Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && p.Metadata.DeletionTimestamp is null));
        return new DaemonSetPlan(create, delete);
    }

    /// <summary>
    /// Pods to delete on a node that keeps its daemon pod: failed ones, and all but one running pod; with surge, an old
    /// and a new pod may coexist while the new one is not ready yet (upstream podsShouldBeOnNode).
    /// </summary>
    private static IEnumerable<V1Pod> Surplus(List<V1Pod> pods, string hash, bool surge)
    {
        var live = pods.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var failed = live.Where(p => p.Status?.Phase == "Failed").ToList();
        var running = OldestFirst(live.Except(failed)).ToList();
        if (running.Count <= 1)
        {
            return failed;
        }
        if (!surge)
        {
            return failed.Concat(running.Skip(1));
        }
        var oldestNew = running.FirstOrDefault(p => HashOf(p) == hash);
        var oldestOld = running.FirstOrDefault(p => HashOf(p) != hash);
        var extra = running.Where(p => p != oldestNew && p != oldestOld).ToList();
        if (oldestNew is not null && oldestOld is not null && (!Pods.IsReady(oldestOld) || Pods.IsReady(oldestNew)))
        {
            extra.Add(oldestOld);
        }
        return failed.Concat(extra);
    }

    /// <summary>Upstream podByCreationTimestampAndPhase: older first; running before not running at equal age.</summary>
    public static IEnumerable<V1Pod> OldestFirst(IEnumerable<V1Pod> pods) => pods
        .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
        .ThenBy(p => p.Status?.Phase == "Running" ? 0 : 1)
        .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);

    private static string? HashOf(V1Pod pod) => pod.Metadata.Label(RevisionData.HashLabel);
}
