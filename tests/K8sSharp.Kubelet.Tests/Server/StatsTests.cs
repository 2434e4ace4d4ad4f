using K8sSharp.Kubelet.Server.Stats;

namespace K8sSharp.Kubelet.Tests.Server;

public sealed class StatsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Node_cpu_is_the_busy_ticks_of_proc_stat_in_nanoseconds()
    {
        const string stat = "cpu  100 5 50 1000 7 3 2 1 0 0\ncpu0 50 2 25 500 3 1 1 0 0 0\nbtime 1700000000\n";
        NodeCounters.CpuUsageNanoseconds(stat).Should().Be((100UL + 5 + 50 + 3 + 2 + 1) * 10_000_000);
    }

    [Fact]
    public void Node_memory_comes_from_proc_meminfo_in_bytes()
    {
        const string meminfo = "MemTotal:       8000 kB\nMemFree:        1000 kB\nMemAvailable:   3000 kB\nBuffers:  10 kB\n";
        NodeCounters.Memory(meminfo).Should().Be((8000UL * 1024, 3000UL * 1024, 1000UL * 1024));
    }

    [Fact]
    public void Nano_cores_need_two_samples_of_a_key()
    {
        var rates = new CpuRates();

        rates.Rate("c1", T0, 1_000_000_000).Should().BeNull();
        rates.Rate("c1", T0.AddSeconds(2), 2_000_000_000).Should().Be(500_000_000, "one core-second over two seconds is half a core");
        rates.Retain(new HashSet<string>());
        rates.Rate("c1", T0.AddSeconds(3), 3_000_000_000).Should().BeNull("a forgotten key starts over");
    }

    [Fact]
    public void Resource_metrics_carry_the_names_and_labels_metrics_server_reads()
    {
        var cpu = new CpuStats(T0, null, 1_500_000_000);
        var memory = new MemoryStats(T0, null, 4096, 2048, null, null, null);
        var summary = new Summary(
            new NodeStats("node-a", T0, new CpuStats(T0, null, 10_000_000_000), new MemoryStats(T0, 1, 2, 3, null, null, null)),
            [new PodStats(new PodReference("web", "team", "uid-1"), T0, [new ContainerStats("main", T0, cpu, memory)], cpu, memory)]);

        var text = ResourceMetrics.Format(summary);

        text.Should().Contain("# TYPE container_cpu_usage_seconds_total counter\n")
            .And.Contain("container_cpu_usage_seconds_total{container=\"main\",namespace=\"team\",pod=\"web\"} 1.5 1704067200000\n")
            .And.Contain("container_memory_working_set_bytes{container=\"main\",namespace=\"team\",pod=\"web\"} 2048 1704067200000\n")
            .And.Contain("node_cpu_usage_seconds_total 10 1704067200000\n")
            .And.Contain("node_memory_working_set_bytes 3 1704067200000\n")
            .And.Contain("pod_memory_working_set_bytes{namespace=\"team\",pod=\"web\"} 2048 1704067200000\n")
            .And.Contain("scrape_error 0\n");
    }
}
