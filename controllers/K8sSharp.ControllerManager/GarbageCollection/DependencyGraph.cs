namespace K8sSharp.ControllerManager.GarbageCollection;

/// <summary>What a graph change asks the garbage collector to look at: objects to check for deletion, owners to orphan.</summary>
internal sealed record GraphWork(IReadOnlyList<string> AttemptToDelete, IReadOnlyList<string> AttemptToOrphan)
{
    public static readonly GraphWork None = new([], []);
}

/// <summary>
/// The owner/dependent graph of every observed object (upstream's GraphBuilder <c>uidToNode</c>), keyed by uid, with
/// dependents indexed by owner uid whether or not the owner itself was observed. Observing and forgetting objects
/// returns the work the change calls for, as upstream's processGraphChanges does:
/// <list type="bullet">
/// <item>an object with an owner not in the graph is checked (the owner may be gone: a dangling reference);</item>
/// <item>a deleted object's dependents are checked, and so are its owners waiting in the foreground for it;</item>
/// <item>an object entering foreground deletion is checked together with all its dependents;</item>
/// <item>an object being deleted with the orphan finalizer is orphaned;</item>
/// <item>owners waiting in the foreground are checked whenever a dependent's references change.</item>
/// </list>
/// Thread-safe; informers of all resources feed it.
/// </summary>
internal sealed class DependencyGraph
{
    private readonly object gate = new();
    private readonly Dictionary<string, GraphNode> nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> dependents = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return nodes.Count;
            }
        }
    }

    public GraphNode? Get(string uid)
    {
        lock (gate)
        {
            return nodes.GetValueOrDefault(uid);
        }
    }

    /// <summary>The observed objects that name <paramref name="ownerUid"/> in their owner references.</summary>
    public IReadOnlyList<GraphNode> DependentsOf(string ownerUid)
    {
        lock (gate)
        {
            return dependents.TryGetValue(ownerUid, out var uids) ? [.. uids.Select(u => nodes[u])] : [];
        }
    }

    /// <summary>Dependents whose reference to the owner has blockOwnerDeletion: the ones a foreground deletion waits for.</summary>
    public IReadOnlyList<GraphNode> BlockingDependentsOf(string ownerUid) =>
        [.. DependentsOf(ownerUid).Where(d => d.OwnerReferenceTo(ownerUid)?.BlockOwnerDeletion == true)];

    public GraphWork Observe(GraphNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        lock (gate)
        {
            var old = nodes.GetValueOrDefault(node.Uid);
            nodes[node.Uid] = node;
            Reindex(old, node);
            var delete = new List<string>();
            var orphan = new List<string>();
            var oldOwners = old?.Owners.Select(o => o.Uid).ToHashSet() ?? [];
            if (node.Owners.Any(o => !oldOwners.Contains(o.Uid) && !nodes.ContainsKey(o.Uid)))
            {
                delete.Add(node.Uid);
            }
            if (old is null || !old.Owners.SequenceEqual(node.Owners, OwnerReferenceComparer.Instance))
            {
                delete.AddRange(WaitingOwners((old?.Owners ?? []).Concat(node.Owners)));
            }
            if (node.DeletingDependents)
            {
                delete.Add(node.Uid);
                if (old?.DeletingDependents != true)
                {
                    delete.AddRange(dependents.GetValueOrDefault(node.Uid) ?? []);
                }
            }
            if (node.Orphaning)
            {
                orphan.Add(node.Uid);
            }
            return new GraphWork([.. delete.Distinct()], orphan);
        }
    }

    public GraphWork Forget(string uid)
    {
        lock (gate)
        {
            if (!nodes.Remove(uid, out var old))
            {
                return GraphWork.None;
            }
            Reindex(old, null);
            var delete = new List<string>(dependents.GetValueOrDefault(uid) ?? []);
            delete.AddRange(WaitingOwners(old.Owners));
            return new GraphWork([.. delete.Distinct()], []);
        }
    }

    private List<string> WaitingOwners(IEnumerable<k8s.Models.V1OwnerReference> owners) =>
        owners.Select(o => o.Uid).Distinct().Where(u => nodes.GetValueOrDefault(u)?.DeletingDependents == true).ToList();

    private void Reindex(GraphNode? old, GraphNode? updated)
    {
        foreach (var owner in old?.Owners ?? [])
        {
            if (dependents.TryGetValue(owner.Uid, out var set) && set.Remove(old!.Uid) && set.Count == 0)
            {
                dependents.Remove(owner.Uid);
            }
        }
        foreach (var owner in updated?.Owners ?? [])
        {
            if (!dependents.TryGetValue(owner.Uid, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                dependents[owner.Uid] = set;
            }
            set.Add(updated!.Uid);
        }
    }
}

/// <summary>Owner references compared by what the collector reads: uid, blockOwnerDeletion and controller.</summary>
internal sealed class OwnerReferenceComparer : IEqualityComparer<k8s.Models.V1OwnerReference>
{
    public static readonly OwnerReferenceComparer Instance = new();

    public bool Equals(k8s.Models.V1OwnerReference? x, k8s.Models.V1OwnerReference? y) =>
        x?.Uid == y?.Uid && x?.BlockOwnerDeletion == y?.BlockOwnerDeletion && x?.Controller == y?.Controller;

    public int GetHashCode(k8s.Models.V1OwnerReference obj) => obj?.Uid?.GetHashCode(StringComparison.Ordinal) ?? 0;
}
