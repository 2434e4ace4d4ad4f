namespace K8sSharp.ControllerManager.Jobs;

/// <summary>
/// Pods (by uid) whose tracking finalizer this controller removed but whose update the informer has not shown yet
/// (upstream uidTrackingExpectations). Their outcome is already in the Job status, so a sync must not count them
/// again from a stale cache. Thread-safe.
/// </summary>
internal sealed class FinalizerExpectations
{
    private readonly object gate = new();
    private readonly Dictionary<string, HashSet<string>> pending = new(StringComparer.Ordinal);

    public IReadOnlySet<string> ExpectedUids(string jobKey)
    {
        lock (gate)
        {
            return pending.TryGetValue(jobKey, out var uids) ? new HashSet<string>(uids, StringComparer.Ordinal) : new HashSet<string>();
        }
    }

    public void ExpectRemoved(string jobKey, IEnumerable<string> uids)
    {
        lock (gate)
        {
            if (!pending.TryGetValue(jobKey, out var set))
            {
                pending[jobKey] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.UnionWith(uids);
        }
    }

    public void Observed(string jobKey, string uid)
    {
        lock (gate)
        {
            if (pending.TryGetValue(jobKey, out var set) && set.Remove(uid) && set.Count == 0)
            {
                pending.Remove(jobKey);
            }
        }
    }

    public void Delete(string jobKey)
    {
        lock (gate)
        {
            pending.Remove(jobKey);
        }
    }
}
