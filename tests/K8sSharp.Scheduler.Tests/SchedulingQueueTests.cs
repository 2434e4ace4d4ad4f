using K8sSharp.Scheduler.Queue;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Scheduler.Tests;

public sealed class SchedulingQueueTests : IDisposable
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SchedulingQueue queue;

    public SchedulingQueueTests()
    {
        queue = new SchedulingQueue(time);
    }

    public void Dispose() => queue.Dispose();

    private async Task<QueuedPod> PopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return (await queue.PopAsync(timeout.Token))!;
    }

    private async Task<QueuedPod> FailAsync(string name, params string[] plugins)
    {
        var pod = await PopAsync();
        pod.Pod.Metadata.Name.Should().Be(name);
        pod.UnschedulablePlugins = new HashSet<string>(plugins);
        queue.AddUnschedulable(pod, queue.SchedulingCycle);
        return pod;
    }

    [Fact]
    public async Task Pops_higher_priority_first_then_the_earlier_arrival()
    {
        queue.AddOrUpdate(Build.Pod("low-early", priority: 0));
        time.Advance(TimeSpan.FromSeconds(1));
        queue.AddOrUpdate(Build.Pod("high", priority: 100));
        queue.AddOrUpdate(Build.Pod("low-late", priority: 0));

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await PopAsync()).Pod.Metadata.Name);
        }

        order.Should().Equal("high", "low-early", "low-late");
    }

    [Fact]
    public async Task An_event_moves_a_rejected_pod_to_backoff_which_doubles_per_attempt_up_to_10s()
    {
        queue.AddOrUpdate(Build.Pod("p"));
        var expectedBackoffs = new[] { 1, 2, 4, 8, 10, 10 };
        foreach (var seconds in expectedBackoffs)
        {
            await FailAsync("p", "NodeResourcesFit");
            queue.MoveAllToActiveOrBackoff(ClusterEvent.NodeAdd);
            queue.Counts.Should().Be((0, 1, 0), "the pod is still backing off");

            time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            queue.FlushBackoffCompleted();
            queue.Counts.Backoff.Should().Be(1, $"the backoff after this attempt is {seconds}s");
            time.Advance(TimeSpan.FromMilliseconds(1));
            queue.FlushBackoffCompleted();
            queue.Counts.Should().Be((1, 0, 0));
        }
    }

    [Fact]
    public async Task Events_move_only_pods_whose_rejecting_plugins_care()
    {
        queue.AddOrUpdate(Build.Pod("needs-cpu"));
        queue.AddOrUpdate(Build.Pod("needs-claim"));
        await FailAsync("needs-cpu", "NodeResourcesFit");
        await FailAsync("needs-claim", "VolumeBinding");
        time.Advance(TimeSpan.FromSeconds(30));

        queue.MoveAllToActiveOrBackoff(ClusterEvent.AssignedPodDelete);

        queue.Counts.Should().Be((1, 0, 1));
        (await PopAsync()).Pod.Metadata.Name.Should().Be("needs-cpu");
    }

    [Fact]
    public async Task A_move_request_during_the_attempt_sends_the_pod_to_backoff_not_unschedulable()
    {
        queue.AddOrUpdate(Build.Pod("p"));
        var pod = await PopAsync();
        var cycle = queue.SchedulingCycle;
        queue.MoveAllToActiveOrBackoff(ClusterEvent.NodeAdd);

        queue.AddUnschedulable(pod, cycle);

        queue.Counts.Should().Be((0, 1, 0), "a node appeared while the pod was being scheduled");
    }

    [Fact]
    public async Task Unschedulable_pods_are_retried_after_5_minutes_without_events()
    {
        queue.AddOrUpdate(Build.Pod("p"));
        await FailAsync("p", "NodeAffinity");

        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        queue.FlushUnschedulableLeftover();
        queue.Counts.Unschedulable.Should().Be(1);

        time.Advance(TimeSpan.FromSeconds(1));
        queue.FlushUnschedulableLeftover();
        queue.Counts.Should().Be((1, 0, 0));
    }

    [Fact]
    public async Task Status_only_updates_leave_an_unschedulable_pod_waiting_but_spec_changes_move_it()
    {
        queue.AddOrUpdate(Build.Pod("p"));
        var failed = await FailAsync("p", "NodeAffinity");
        time.Advance(TimeSpan.FromSeconds(30));

        var statusOnly = Build.Pod("p");
        statusOnly.Status.Conditions = [new k8s.Models.V1PodCondition { Type = "PodScheduled", Status = "False" }];
        queue.AddOrUpdate(statusOnly);
        queue.Counts.Should().Be((0, 0, 1));

        var relabeled = Build.Pod("p");
        relabeled.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        queue.AddOrUpdate(relabeled);
        queue.Counts.Should().Be((1, 0, 0));
        failed.Pod.Should().BeSameAs(relabeled);
    }

    [Fact]
    public async Task Deleted_pods_leave_the_queue()
    {
        queue.AddOrUpdate(Build.Pod("gone"));
        queue.AddOrUpdate(Build.Pod("stays"));

        queue.Delete(Build.Pod("gone"));

        queue.Counts.Active.Should().Be(1);
        (await PopAsync()).Pod.Metadata.Name.Should().Be("stays");
    }
}
