using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>
/// One step of a DaemonSet RollingUpdate (upstream update.go rollingUpdate), planned only once the manage step has
/// nothing left to do. Without surge, old pods are deleted while at most maxUnavailable nodes lack an available pod
/// (unavailable old pods always go), and the manage step recreates them. With surge, new pods are created next to
/// old ones (at most maxSurge at a time, immediately where the old pod is unavailable) and an old pod goes once its
/// node's new pod is available.
/// </summary>
internal static class DaemonSetRollingUpdate
{
    public static DaemonSetPlan Plan(
        V1DaemonSet ds, IReadOnlyList<V1Node> nodes, IReadOnlyDictionary<string, List<V1Pod>> podsByNode, string hash, DateTimeOffset now)
    {
        var byNode = new Dictionary<string, List<V1Pod>>(podsByNode, StringComparer.Ordinal);
        var desired = 0;
        foreach (var node in nodes.Where(n => DaemonPods.Evaluate(n, ds).ShouldRun))
        {
            desired++;
            byNode.TryAdd(node.Metadata.Name, []);
        }
        var maxUnavailable = DaemonSetStrategy.MaxUnavailable(ds, desired);
        var maxSurge = DaemonSetStrategy.MaxSurge(ds, desired);
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0)
        {
            maxUnavailable = 1; // an impossible configuration falls back to the default
        }
        var context = new Context(ds, hash, now, byNode.OrderBy(p => p.Key, StringComparer.Ordinal).ToList());
        return maxSurge == 0 ? WithoutSurge(context, maxUnavailable) : WithSurge(context, nodes, maxSurge, desired);
    }

    private static DaemonSetPlan WithoutSurge(Context c, int maxUnavailable)
    {
        var unavailable = 0;
        var replaceNow = new List<V1Pod>();
        var candidates = new List<V1Pod>();
        foreach (var (_, pods) in c.Nodes)
        {
            if (!c.TrySplit(pods, out var newPod, out var oldPod) || (newPod is null) == (oldPod is null))
            {
                unavailable++; // the manage step still has work here
            }
            else if (newPod is not null)
            {
                unavailable += c.Available(newPod) ? 0 : 1;
            }
            else if (!c.Available(oldPod!))
            {
                replaceNow.Add(oldPod!);
            }
            else if (unavailable < maxUnavailable)
            {
                candidates.Add(oldPod!);
            }
        }
        var budget = Math.Clamp(maxUnavailable - unavailable, 0, candidates.Count);
        return new DaemonSetPlan([], [.. replaceNow, .. candidates.Take(budget)]);
    }

    private static DaemonSetPlan WithSurge(Context c, IReadOnlyList<V1Node> nodes, int maxSurge, int desired)
    {
        var surging = 0;
        var available = 0;
        var deleteOld = new List<V1Pod>();
        var notWanted = new List<V1Pod>();
        var createNow = new List<string>();
        var candidates = new List<string>();
        foreach (var (nodeName, pods) in c.Nodes)
        {
            if (!c.TrySplit(pods, out var newPod, out var oldPod))
            {
                surging++;
                continue;
            }
            available += (oldPod is not null && c.Available(oldPod)) || (newPod is not null && c.Available(newPod)) ? 1 : 0;
            if (oldPod is null)
            {
                continue; // the manage step creates or keeps the new pod
            }
            if (newPod is null)
            {
                if (!c.Available(oldPod))
                {
                    var node = nodes.FirstOrDefault(n => n.Metadata.Name == nodeName);
                    if (node is null || !DaemonPods.Evaluate(node, c.Ds).ShouldRun)
                    {
                        notWanted.Add(oldPod);
                        continue;
                    }
                    createNow.Add(nodeName);
                }
                else if (surging < maxSurge)
                {
                    candidates.Add(nodeName);
                }
                continue;
            }
            if (!c.Available(newPod))
            {
                surging++;
                continue;
            }
            deleteOld.Add(oldPod);
        }
        // Keep full availability while pods move between nodes: a pod a node no longer wants goes only when spare.
        var spare = available - desired;
        if (spare >= 0)
        {
            deleteOld.AddRange(notWanted.Take(spare));
        }
        var budget = Math.Clamp(maxSurge - surging, 0, candidates.Count);
        return new DaemonSetPlan([.. createNow, .. candidates.Take(budget)], deleteOld);
    }

    private sealed record Context(V1DaemonSet Ds, string Hash, DateTimeOffset Now, List<KeyValuePair<string, List<V1Pod>>> Nodes)
    {
        private readonly long? generation = DaemonPods.TemplateGeneration(Ds);

        public bool Available(V1Pod pod) => Pods.IsAvailable(pod, Ds.Spec.MinReadySeconds ?? 0, Now);

        /// <summary>Upstream findUpdatedPodsOnNode: at most one live new and one live old pod, else false.</summary>
        public bool TrySplit(List<V1Pod> pods, out V1Pod? newPod, out V1Pod? oldPod)
        {
            newPod = null;
            oldPod = null;
            foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
            {
                if (DaemonPods.IsUpdated(pod, Hash, generation))
                {
                    if (newPod is not null)
                    {
                        return false;
                    }
                    newPod = pod;
                }
                else
                {
                    if (oldPod is not null)
                    {
                        return false;
                    }
                    oldPod = pod;
                }
            }
            return true;
        }
    }
}
