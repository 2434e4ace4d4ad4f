using System.Collections.Concurrent;
using k8s.Models;
using K8sSharp.Scheduler.Cache;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Preemption;
using K8sSharp.Scheduler.Queue;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Scheduler.Scheduling;

/// <summary>
/// The scheduling loop (upstream's scheduleOne): one pod at a time from the queue; filters and scores run under the
/// cache's lock over the live node infos (their sums are maintained incrementally, so an attempt costs O(nodes), not
/// O(pods)); the chosen node is assumed in the cache at once and the binding runs in the background, so the next pod
/// is scheduled while the API server is still writing the previous binding. A pod that fits nowhere gets preemption,
/// a PodScheduled=False condition and a FailedScheduling event, and goes back to the queue.
/// </summary>
internal sealed partial class Scheduler : IDisposable
{
    private readonly SchedulerCache cache;
    private readonly SchedulingQueue queue;
    private readonly Profile profile;
    private readonly DefaultPreemption preemption;
    private readonly ISchedulerApi api;
    private readonly SchedulerMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Random random;
    private readonly ConcurrentDictionary<Task, bool> inFlight = new();

    /// <summary>Where the next attempt starts filtering, so a partial search does not always favour the first nodes.</summary>
    private int nextStartNode;

    public Scheduler(SchedulerCache cache, SchedulingQueue queue, Profile profile, ISchedulerApi api, SchedulerMetrics metrics,
        TimeProvider time, ILogger logger, Random? random = null)
    {
        this.cache = cache;
        this.queue = queue;
        this.profile = profile;
        preemption = new DefaultPreemption(profile);
        this.api = api;
        this.metrics = metrics;
        this.time = time;
        this.logger = logger;
        this.random = random ?? Random.Shared;
    }

    /// <summary>Schedules until cancelled, then waits for the bindings and status writes in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await ScheduleNextAsync(cancellationToken))
            {
                break;
            }
        }
        await DrainAsync();
    }

    /// <summary>Pops one pod and makes one attempt; false once the queue wait was cancelled.</summary>
    public async Task<bool> ScheduleNextAsync(CancellationToken cancellationToken)
    {
        var queued = await queue.PopAsync(cancellationToken);
        if (queued is null)
        {
            return false;
        }
        ScheduleOne(queued, queue.SchedulingCycle, cancellationToken);
        ReportPending();
        return true;
    }

    public void Dispose() => bindingSlots.Dispose();

    /// <summary>Waits for the background API writes started so far (bindings, status patches, preemptions).</summary>
    public Task DrainAsync() => Task.WhenAll(inFlight.Keys);

    private void ScheduleOne(QueuedPod queued, long cycle, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var pod = queued.Pod;
        Decision decision;
        lock (cache.Gate)
        {
            if (pod.Metadata.DeletionTimestamp is not null || cache.IsPlaced(pod.Metadata.Uid ?? queued.Key))
            {
                queue.Done(queued.Key);
                return;
            }
            decision = Decide(pod);
        }
        if (decision.Node is { } node)
        {
            queue.Done(queued.Key);
            Track(BindAsync(queued, cycle, node, decision, started, cancellationToken));
            return;
        }
        queued.UnschedulablePlugins = decision.Fit?.RejectingPlugins ?? new HashSet<string>();
        queue.AddUnschedulable(queued, cycle);
        metrics.Attempt(SchedulerMetrics.Unschedulable, time.GetElapsedTime(started));
        Track(RecordFailureAsync(pod, decision, cancellationToken));
    }

    /// <summary>The filter/score/select half of an attempt; runs under the cache lock.</summary>
    private Decision Decide(V1Pod pod)
    {
        var nodes = cache.Nodes;
        if (nodes.Count == 0)
        {
            return new Decision(null, null, FitError.NoNodesAvailable, null, []);
        }
        var state = new CycleState(new PodInfo(pod), nodes, cache.NominatedSnapshot());
        var result = profile.FindFeasible(state, nodes, nextStartNode % nodes.Count, NodesToScore.FeasibleToFind(nodes.Count));
        nextStartNode = (nextStartNode + result.Processed) % nodes.Count;
        if (result.Feasible.Count == 0)
        {
            var fit = new FitError(nodes.Count, result.Rejected, result.PreFilterRejection);
            var outcome = preemption.Preempt(state, fit);
            fit.PostFilterMessage = outcome.Message;
            return new Decision(null, fit, fit.Message, outcome, []);
        }
        var chosen = result.Feasible.Count == 1 ? result.Feasible[0] : SelectHost(result.Feasible, profile.ScoreNodes(state, result.Feasible));
        cache.Assume(state.Pod, chosen.Name);
        return new Decision(chosen.Name, null, null, null, Plugins.VolumeBinding.DelayedClaims(state));
    }

    /// <summary>The highest total score; ties broken uniformly at random (reservoir sampling, as upstream's selectHost).</summary>
    private NodeInfo SelectHost(IReadOnlyList<NodeInfo> feasible, long[] scores)
    {
        var best = 0;
        var ties = 1;
        for (var i = 1; i < feasible.Count; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
                ties = 1;
            }
            else if (scores[i] == scores[best] && random.Next(++ties) == 0)
            {
                best = i;
            }
        }
        return feasible[best];
    }

    private void Track(Task task)
    {
        inFlight[task] = true;
        _ = task.ContinueWith(t => inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void ReportPending()
    {
        var (active, backoff, unschedulable) = queue.Counts;
        metrics.Pending(active, backoff, unschedulable);
    }

    /// <summary>An attempt's result: a node (the pod is assumed there), or the failure with its message and preemption outcome.</summary>
    private sealed record Decision(string? Node, FitError? Fit, string? Message, PreemptionOutcome? Preemption, IReadOnlyList<V1PersistentVolumeClaim> DelayedClaims);
}
