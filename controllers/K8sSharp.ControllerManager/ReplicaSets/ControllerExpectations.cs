namespace K8sSharp.ControllerManager.ReplicaSets;

/// <summary>
/// What a controller is still waiting to see in its informer after its own writes (upstream
/// pkg/controller/controller_utils.go ControllerExpectations + UIDTrackingControllerExpectations). While a key has
/// creations or deletions in flight its reconcile must not act on the pod count, which the cache does not yet
/// reflect, or it would create/delete twice. Expectations older than <see cref="Ttl"/> count as satisfied, so a lost
/// watch event cannot wedge a controller. Deletions are tracked by pod key, so a pod deleted by someone else (or a
/// duplicate delete event) does not lower the count. Thread-safe.
/// </summary>
internal sealed class ControllerExpectations
{
    /// <summary>Upstream's ExpectationsTimeout.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private readonly object gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TimeProvider time;

    public ControllerExpectations(TimeProvider time)
    {
        this.time = time;
    }

    /// <summary>True when nothing is pending for <paramref name="key"/>, or the expectation expired.</summary>
    public bool Satisfied(string key)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var entry))
            {
                return true;
            }
            return (entry.Adds <= 0 && entry.PendingDeletes.Count == 0) || time.GetUtcNow() - entry.SetAt > Ttl;
        }
    }

    public void ExpectCreations(string key, int count) => Expect(key, count, []);

    public void ExpectDeletions(string key, IEnumerable<string> podKeys) => Expect(key, 0, podKeys);

    /// <summary>Creations and deletions issued together (a DaemonSet may do both in one reconcile); replaces what was pending.</summary>
    public void Expect(string key, int creations, IEnumerable<string> deletedPodKeys)
    {
        lock (gate)
        {
            entries[key] = new Entry(creations, new HashSet<string>(deletedPodKeys, StringComparer.Ordinal), time.GetUtcNow());
        }
    }

    /// <summary>A pod we created showed up (or its create failed, so it never will).</summary>
    public void CreationObserved(string key)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                entries[key] = entry with { Adds = entry.Adds - 1 };
            }
        }
    }

    /// <summary>A pod we deleted is gone or terminating (or its delete failed, so it will not be).</summary>
    public void DeletionObserved(string key, string podKey)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                entry.PendingDeletes.Remove(podKey);
            }
        }
    }

    public void Delete(string key)
    {
        lock (gate)
        {
            entries.Remove(key);
        }
    }

    private sealed record Entry(int Adds, HashSet<string> PendingDeletes, DateTimeOffset SetAt);
}
