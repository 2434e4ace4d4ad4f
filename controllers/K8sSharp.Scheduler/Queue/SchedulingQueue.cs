using k8s.Models;

namespace K8sSharp.Scheduler.Queue;

/// <summary>
/// Upstream's PriorityQueue (internal/queue/scheduling_queue.go) with its three parts: activeQ (ready to be tried, by
/// priority then time), backoffQ (rejected recently: waits 1 s doubling to 10 s per attempt) and the unschedulable set
/// (waits for a cluster event that may help, or 5 minutes). A pod is in at most one part, or in flight (popped and
/// being scheduled). Cluster events move unschedulable pods whose rejecting plugins care to activeQ, or to backoffQ
/// while their backoff runs. Time comes from the injected <see cref="TimeProvider"/>; <see cref="FlushBackoffCompleted"/>
/// and <see cref="FlushUnschedulableLeftover"/> are called by <see cref="RunFlushesAsync"/> (and directly by tests).
/// </summary>
internal sealed partial class SchedulingQueue(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxInUnschedulable = TimeSpan.FromMinutes(5);

    private readonly object gate = new();
    private readonly SortedSet<QueuedPod> active = new(ActiveOrder.Instance);
    private readonly SortedSet<QueuedPod> backoff = new(Comparer<QueuedPod>.Create(CompareBackoff));
    private readonly Dictionary<string, QueuedPod> byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueuedPod> unschedulable = new(StringComparer.Ordinal);
    private readonly HashSet<string> inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim available = new(0);
    private long schedulingCycle;
    private long moveRequestCycle = -1;

    public (int Active, int Backoff, int Unschedulable) Counts
    {
        get
        {
            lock (gate)
            {
                return (active.Count, backoff.Count, unschedulable.Count);
            }
        }
    }

    public void Dispose() => available.Dispose();

    /// <summary>A new pending pod, or one that changed while queued (its stored object is replaced).</summary>
    public void AddOrUpdate(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (gate)
        {
            var key = KeyOf(pod);
            if (!byKey.TryGetValue(key, out var queued))
            {
                if (!inFlight.Contains(key))
                {
                    PushActive(new QueuedPod(pod, time.GetUtcNow()));
                }
                return;
            }
            var wasActive = active.Contains(queued);
            var wasBackoff = backoff.Contains(queued);
            var meaningful = SpecChanged(queued.Pod, pod);
            Remove(queued);
            queued.Pod = pod;
            if (wasActive)
            {
                PushActive(queued);
            }
            else if (wasBackoff)
            {
                backoff.Add(queued);
                byKey[key] = queued;
            }
            else if (meaningful)
            {
                MoveOut(queued);
            }
            else
            {
                unschedulable[key] = queued;
                byKey[key] = queued;
            }
        }
    }

    public void Delete(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (gate)
        {
            if (byKey.TryGetValue(KeyOf(pod), out var queued))
            {
                Remove(queued);
            }
        }
    }

    /// <summary>Waits for the best pod of activeQ and marks it in flight; null once cancelled.</summary>
    public async Task<QueuedPod?> PopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (gate)
            {
                if (active.Min is { } next)
                {
                    Remove(next);
                    inFlight.Add(next.Key);
                    next.Attempts++;
                    schedulingCycle++;
                    return next;
                }
            }
            try
            {
                await available.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>The cycle number of the last pop (pods record it to know whether a move request happened since).</summary>
    public long SchedulingCycle
    {
        get
        {
            lock (gate)
            {
                return schedulingCycle;
            }
        }
    }

    /// <summary>The attempt ended (bound, or requeued through <see cref="AddUnschedulable"/>).</summary>
    public void Done(string key)
    {
        lock (gate)
        {
            inFlight.Remove(key);
        }
    }

    /// <summary>
    /// Requeues a pod whose attempt failed. If a cluster event arrived during its attempt (a move request after
    /// <paramref name="podCycle"/>), or the failure was an error rather than a rejection, it goes to backoffQ; else to the
    /// unschedulable set.
    /// </summary>
    public void AddUnschedulable(QueuedPod pod, long podCycle, bool error = false)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (gate)
        {
            inFlight.Remove(pod.Key);
            if (byKey.ContainsKey(pod.Key))
            {
                return;
            }
            pod.Timestamp = time.GetUtcNow();
            pod.Renumber();
            if (error || moveRequestCycle >= podCycle)
            {
                backoff.Add(pod);
            }
            else
            {
                unschedulable[pod.Key] = pod;
            }
            byKey[pod.Key] = pod;
        }
    }
}
