using K8sSharp.Scheduler.Cache;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Tests;

public sealed class SchedulerCacheTests
{
    [Fact]
    public void Assumed_pods_count_at_once_and_forgetting_releases_them()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Build.Node("n", cpu: "2"));

        cache.Assume(new PodInfo(Build.Pod("a", cpu: "1500m")), "n");

        cache.Node("n")!.Requested.MilliCpu.Should().Be(1500);
        cache.IsAssumed("default-a").Should().BeTrue();
        cache.Forget("default-a");
        cache.Node("n")!.Requested.MilliCpu.Should().Be(0);
        cache.Node("n")!.PodCount.Should().Be(0);
    }

    [Fact]
    public void The_informer_confirms_an_assumed_pod_and_a_late_forget_does_not_undo_it()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Build.Node("n"));
        cache.Assume(new PodInfo(Build.Pod("a", cpu: "1")), "n");

        cache.AddOrUpdatePod(Build.Pod("a", cpu: "1", node: "n"));
        cache.Forget("default-a");

        cache.IsAssumed("default-a").Should().BeFalse();
        cache.Node("n")!.Requested.MilliCpu.Should().Be(1000, "the pod is bound; it counts exactly once");
    }

    [Fact]
    public void Sums_follow_adds_updates_moves_and_removals()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Build.Node("n1"));
        cache.AddOrUpdateNode(Build.Node("n2"));
        cache.AddOrUpdatePod(Build.Pod("a", cpu: "1", memory: "1Gi", node: "n1"));
        cache.AddOrUpdatePod(Build.Pod("b", cpu: "500m", node: "n1"));

        cache.AddOrUpdatePod(Build.Pod("a", cpu: "1", memory: "1Gi", node: "n2"));
        cache.RemovePod("default-b");

        cache.Node("n1")!.Requested.IsZero.Should().BeTrue();
        cache.Node("n2")!.Requested.MilliCpu.Should().Be(1000);
        cache.Node("n2")!.Requested.Memory.Should().Be(1024L * 1024 * 1024);
        cache.Node("n2")!.NonZeroRequested.MilliCpu.Should().Be(1000);
    }

    [Fact]
    public void Pods_seen_before_their_node_are_counted_when_it_arrives()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdatePod(Build.Pod("early", cpu: "1", node: "late"));

        cache.AddOrUpdateNode(Build.Node("late"));

        cache.Node("late")!.Requested.MilliCpu.Should().Be(1000);
        cache.Nodes.Select(n => n.Name).Should().Equal("late");
    }
}
