using k8s;
using k8s.Models;

namespace K8sSharp.Scheduler.Queue;

internal sealed partial class SchedulingQueue
{
    /// <summary>Moves the unschedulable pods that <paramref name="e"/> may help to activeQ (or backoffQ while backing off).</summary>
    public void MoveAllToActiveOrBackoff(ClusterEvent e)
    {
        var interested = ClusterEvents.Interested(e);
        lock (gate)
        {
            foreach (var pod in unschedulable.Values.ToList())
            {
                if (interested.Count == 0 || pod.UnschedulablePlugins.Count == 0 || pod.UnschedulablePlugins.Overlaps(interested))
                {
                    Remove(pod);
                    MoveOut(pod);
                }
            }
            moveRequestCycle = schedulingCycle;
        }
    }

    /// <summary>Moves pods whose backoff has expired from backoffQ to activeQ (upstream: every second).</summary>
    public void FlushBackoffCompleted()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            while (backoff.Min is { } first && first.BackoffExpiry(InitialBackoff, MaxBackoff) <= now)
            {
                Remove(first);
                PushActive(first);
            }
        }
    }

    /// <summary>Retries pods that waited in the unschedulable set for 5 minutes without a helpful event (upstream: checked every 30 s).</summary>
    public void FlushUnschedulableLeftover()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var pod in unschedulable.Values.Where(p => now - p.Timestamp >= MaxInUnschedulable).ToList())
            {
                Remove(pod);
                MoveOut(pod);
            }
        }
    }

    /// <summary>The flush loops, until cancelled.</summary>
    public async Task RunFlushesAsync(CancellationToken cancellationToken)
    {
        var ticks = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
                FlushBackoffCompleted();
                if (++ticks % 30 == 0)
                {
                    FlushUnschedulableLeftover();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended or the process stops.
        }
    }

    /// <summary>To backoffQ while the pod's backoff runs, else to activeQ.</summary>
    private void MoveOut(QueuedPod pod)
    {
        if (pod.Attempts > 0 && pod.BackoffExpiry(InitialBackoff, MaxBackoff) > time.GetUtcNow())
        {
            backoff.Add(pod);
            byKey[pod.Key] = pod;
            return;
        }
        PushActive(pod);
    }

    private void PushActive(QueuedPod pod)
    {
        active.Add(pod);
        byKey[pod.Key] = pod;
        available.Release();
    }

    private void Remove(QueuedPod pod)
    {
        active.Remove(pod);
        backoff.Remove(pod);
        unschedulable.Remove(pod.Key);
        byKey.Remove(pod.Key);
    }

    private static int CompareBackoff(QueuedPod? x, QueuedPod? y)
    {
        var byExpiry = x!.BackoffExpiry(InitialBackoff, MaxBackoff).CompareTo(y!.BackoffExpiry(InitialBackoff, MaxBackoff));
        return byExpiry != 0 ? byExpiry : x.Sequence.CompareTo(y.Sequence);
    }

    private static string KeyOf(V1Pod pod) => pod.Metadata.NamespaceProperty + "/" + pod.Metadata.Name;

    /// <summary>Whether an update could change the outcome: anything but status and bookkeeping metadata (upstream's isPodUpdated).</summary>
    private static bool SpecChanged(V1Pod old, V1Pod updated) =>
        Json(old.Spec) != Json(updated.Spec)
        || Json(old.Metadata.Labels) != Json(updated.Metadata.Labels)
        || Json(old.Metadata.Annotations) != Json(updated.Metadata.Annotations);

    private static string Json(object? value) => value is null ? "null" : KubernetesJson.Serialize(value);
}
