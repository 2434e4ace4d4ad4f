using k8s.Models;
using K8sSharp.Scheduler.Cache;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Queue;
using K8sSharp.Scheduler.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace K8sSharp.Scheduler.Tests;

/// <summary>The scheduling loop over the cache and queue, with the API writes recorded by a fake.</summary>
public sealed class SchedulerTests : IDisposable
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SchedulerCache cache = new();
    private readonly SchedulingQueue queue;
    private readonly ClusterEventHandlers handlers;
    private readonly FakeSchedulerApi api = new();
    private readonly SchedulerMetrics metrics = new(Metrics.NewCustomRegistry());
    private readonly Scheduling.Scheduler scheduler;

    public SchedulerTests()
    {
        queue = new SchedulingQueue(time);
        handlers = new ClusterEventHandlers(cache, queue);
        scheduler = new Scheduling.Scheduler(cache, queue, new Profile(new NoVolumes(), _ => null), api, metrics, time, NullLogger.Instance, new Random(1));
    }

    public void Dispose()
    {
        scheduler.Dispose();
        queue.Dispose();
    }

    private async Task ScheduleAllQueuedAsync()
    {
        while (queue.Counts.Active > 0)
        {
            (await scheduler.ScheduleNextAsync(CancellationToken.None)).Should().BeTrue();
        }
        await scheduler.DrainAsync();
    }

    [Fact]
    public async Task A_burst_does_not_overcommit_because_assumed_pods_count_before_their_bindings_land()
    {
        handlers.NodeAdded(Build.Node("n1", cpu: "2"));
        handlers.NodeAdded(Build.Node("n2", cpu: "2"));
        for (var i = 0; i < 5; i++)
        {
            handlers.PodAdded(Build.Pod($"p{i}", cpu: "1"));
        }

        await ScheduleAllQueuedAsync();

        api.Bindings.Should().HaveCount(4);
        api.Bindings.Values.GroupBy(n => n).Should().OnlyContain(g => g.Count() == 2, "each node has room for exactly two");
        var failure = api.Events.Single(e => e.Reason == "FailedScheduling");
        failure.Message.Should().Be("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
        api.Statuses.Single().Condition.Should().Match<V1PodCondition>(c => c.Status == "False" && c.Reason == "Unschedulable" && c.Message == failure.Message);
        api.Events.Where(e => e.Reason == "Scheduled").Select(e => e.Message).Should().Contain(m => m.StartsWith("Successfully assigned default/p", StringComparison.Ordinal));
        metrics.Attempts(SchedulerMetrics.Scheduled).Should().Be(4);
        metrics.Attempts(SchedulerMetrics.Unschedulable).Should().Be(1);
    }

    [Fact]
    public async Task Pods_spread_over_equal_nodes_by_least_allocated()
    {
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            handlers.NodeAdded(Build.Node(name, cpu: "4"));
        }
        for (var i = 0; i < 6; i++)
        {
            handlers.PodAdded(Build.Pod($"p{i}", cpu: "1"));
        }

        await ScheduleAllQueuedAsync();

        api.Bindings.Values.GroupBy(n => n).Select(g => g.Count()).Should().Equal(2, 2, 2);
    }

    [Fact]
    public async Task A_deleted_pod_frees_room_and_the_waiting_pod_is_retried_after_its_backoff()
    {
        handlers.NodeAdded(Build.Node("n", cpu: "1"));
        var first = Build.Pod("first", cpu: "1", node: "n");
        handlers.PodAdded(first);
        handlers.PodAdded(Build.Pod("waiting", cpu: "1"));
        await ScheduleAllQueuedAsync();
        api.Bindings.Should().BeEmpty();
        queue.Counts.Unschedulable.Should().Be(1);

        handlers.PodDeleted(first);
        queue.Counts.Backoff.Should().Be(1, "the first attempt's 1 s backoff is still running");
        time.Advance(TimeSpan.FromSeconds(1));
        queue.FlushBackoffCompleted();
        await ScheduleAllQueuedAsync();

        api.Bindings.Should().ContainKey("waiting").WhoseValue.Should().Be("n");
    }

    [Fact]
    public async Task A_higher_priority_pod_preempts_the_lowest_priority_victims_and_is_nominated()
    {
        handlers.NodeAdded(Build.Node("n1", cpu: "2"));
        handlers.NodeAdded(Build.Node("n2", cpu: "2"));
        handlers.PodAdded(Build.Pod("low", cpu: "1500m", priority: 10, node: "n1"));
        handlers.PodAdded(Build.Pod("mid", cpu: "1500m", priority: 100, node: "n2"));
        handlers.PodAdded(Build.Pod("high", cpu: "1500m", priority: 1000));

        await ScheduleAllQueuedAsync();

        api.Preempted.Should().Equal("low");
        api.Statuses.Single().Nominated.Should().Be("n1");
        api.Events.Should().Contain(e => e.Pod == "low" && e.Reason == "Preempted" && e.Message.EndsWith("on node n1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preempting_clears_the_nomination_of_lower_priority_pods_nominated_to_that_node()
    {
        handlers.NodeAdded(Build.Node("n1", cpu: "2"));
        handlers.PodAdded(Build.Pod("low", cpu: "2", priority: 10, node: "n1"));
        var mid = Build.Pod("mid", cpu: "2", priority: 100);
        mid.Status.NominatedNodeName = "n1";
        handlers.PodAdded(mid);
        handlers.PodAdded(Build.Pod("high", cpu: "2", priority: 1000));

        (await scheduler.ScheduleNextAsync(CancellationToken.None)).Should().BeTrue("the highest priority pod goes first");
        await scheduler.DrainAsync();

        api.Preempted.Should().Equal("low");
        api.Statuses.Single().Should().Match<(string Pod, V1PodCondition Condition, string? Nominated)>(s => s.Pod == "high" && s.Nominated == "n1");
        api.ClearedNominations.Should().Equal("mid");
    }

    [Fact]
    public async Task Pods_that_may_not_preempt_say_so()
    {
        handlers.NodeAdded(Build.Node("n1", cpu: "1"));
        handlers.PodAdded(Build.Pod("low", cpu: "1", priority: 0, node: "n1"));
        var pod = Build.Pod("polite", cpu: "1", priority: 1000);
        pod.Spec.PreemptionPolicy = "Never";
        handlers.PodAdded(pod);

        await ScheduleAllQueuedAsync();

        api.Preempted.Should().BeEmpty();
        api.Events.Single().Message.Should().Be("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
    }

    [Fact]
    public async Task A_failed_binding_forgets_the_assumed_pod_and_retries_it()
    {
        handlers.NodeAdded(Build.Node("n", cpu: "1"));
        api.BindFailure = _ => new InvalidOperationException("boom");
        handlers.PodAdded(Build.Pod("p", cpu: "1"));

        await ScheduleAllQueuedAsync();

        cache.Node("n")!.Requested.MilliCpu.Should().Be(0);
        queue.Counts.Backoff.Should().Be(1);
        api.Events.Should().Contain(e => e.Reason == "FailedScheduling" && e.Message == "Binding rejected: boom");
        metrics.Attempts(SchedulerMetrics.Error).Should().Be(1);

        api.BindFailure = _ => null;
        time.Advance(TimeSpan.FromSeconds(1));
        queue.FlushBackoffCompleted();
        await ScheduleAllQueuedAsync();
        api.Bindings.Should().ContainKey("p");
    }

    [Fact]
    public async Task Pods_for_other_schedulers_and_bound_pods_are_not_queued()
    {
        handlers.NodeAdded(Build.Node("n"));
        var other = Build.Pod("other");
        other.Spec.SchedulerName = "my-scheduler";
        handlers.PodAdded(other);
        handlers.PodAdded(Build.Pod("bound", node: "n"));

        queue.Counts.Should().Be((0, 0, 0));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Without_nodes_the_pod_waits_for_one()
    {
        handlers.PodAdded(Build.Pod("p"));
        await ScheduleAllQueuedAsync();
        api.Events.Single().Message.Should().Be("no nodes available to schedule pods");

        handlers.NodeAdded(Build.Node("n"));
        time.Advance(TimeSpan.FromSeconds(1));
        queue.FlushBackoffCompleted();
        await ScheduleAllQueuedAsync();

        api.Bindings.Should().ContainKey("p");
    }
}
