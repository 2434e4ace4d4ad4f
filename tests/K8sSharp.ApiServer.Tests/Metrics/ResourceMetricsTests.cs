using FluentAssertions;
using K8sSharp.ApiServer.Metrics;

namespace K8sSharp.ApiServer.Tests.Metrics;

public sealed class ResourceMetricsTests
{
    private static readonly DateTimeOffset ScrapedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public void A_kubelet_scrape_yields_the_node_point_and_one_point_per_container_with_their_timestamps()
    {
        var scrape = ResourceMetricsText.Parse("""
            # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
            # TYPE container_cpu_usage_seconds_total counter
            container_cpu_usage_seconds_total{container="app",namespace="web",pod="web-1"} 4.5 1700000001000
            container_cpu_usage_seconds_total{container="side\"car",namespace="web",pod="web-1"} 0.25 1700000001500
            container_memory_working_set_bytes{container="app",namespace="web",pod="web-1"} 1048576 1700000001000
            container_memory_working_set_bytes{container="side\"car",namespace="web",pod="web-1"} 4096 1700000001500
            container_start_time_seconds{container="app",namespace="web",pod="web-1"} 1699999990 1700000001000
            node_cpu_usage_seconds_total 120.5 1700000000900
            node_memory_working_set_bytes 2.5e+09 1700000000900
            pod_cpu_usage_seconds_total{namespace="web",pod="web-1"} 4.75 1700000001000
            scrape_error 0
            """, ScrapedAt);

        scrape.Node.Should().Be(new MetricsPoint(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_900), 120_500_000_000, 2_500_000_000));
        scrape.Containers.Should().HaveCount(2);
        scrape.Containers[new ContainerKey("web", "web-1", "app")].Should().Be(new MetricsPoint(
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_000), 4_500_000_000, 1_048_576, DateTimeOffset.FromUnixTimeSeconds(1_699_999_990)));
        scrape.Containers[new ContainerKey("web", "web-1", "side\"car")].CumulativeCpuNanoseconds.Should().Be(250_000_000);
    }

    [Fact]
    public void Samples_without_a_timestamp_take_the_scrape_time_and_malformed_lines_are_skipped()
    {
        var scrape = ResourceMetricsText.Parse("""
            node_cpu_usage_seconds_total 3
            node_memory_working_set_bytes 1024
            container_cpu_usage_seconds_total{container="app",namespace="web"} 1 1700000001000
            container_memory_working_set_bytes{container="app" 5
            garbage
            """, ScrapedAt);

        scrape.Node.Should().Be(new MetricsPoint(ScrapedAt, 3_000_000_000, 1024));
        scrape.Containers.Should().BeEmpty("a sample without its pod label, or without memory, is no point");
    }

    [Fact]
    public void Usage_is_the_cpu_rate_over_the_window_between_two_points_and_the_later_memory()
    {
        var t0 = ScrapedAt;
        var usage = Usage.Between(new MetricsPoint(t0, 1_000_000_000, 100), new MetricsPoint(t0.AddSeconds(10), 3_500_000_000, 200));

        usage.Should().Be(new Usage(t0.AddSeconds(10), TimeSpan.FromSeconds(10), 250_000_000, 200));
    }

    [Fact]
    public void No_usage_from_points_of_the_same_time_a_counter_that_went_back_or_a_restarted_container()
    {
        var t0 = ScrapedAt;
        Usage.Between(new MetricsPoint(t0, 1, 1), new MetricsPoint(t0, 2, 1)).Should().BeNull();
        Usage.Between(new MetricsPoint(t0, 5, 1), new MetricsPoint(t0.AddSeconds(1), 2, 1)).Should().BeNull();
        Usage.Between(new MetricsPoint(t0, 1, 1, t0.AddSeconds(-5)), new MetricsPoint(t0.AddSeconds(1), 2, 1, t0.AddSeconds(-1))).Should().BeNull();
    }

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(2_000_000_000UL, "2")]
    [InlineData(250_000_000UL, "250m")]
    [InlineData(1_500UL, "1500n")]
    [InlineData(12_000UL, "12u")]
    [InlineData(186_479_733UL, "186479733n")]
    public void Cpu_usage_is_a_canonical_nanocore_quantity(ulong nanocores, string expected) =>
        MetricsObjects.Cpu(nanocores).Should().Be(expected);

    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(1000UL, "1k")]
    [InlineData(1536UL, "1536")]
    [InlineData(311_296UL, "304Ki")]
    [InlineData(3_801_088_000UL, "3625Mi")]
    [InlineData(3_801_649_152UL, "3712548Ki")]
    [InlineData(2_147_483_648UL, "2Gi")]
    public void Memory_usage_is_a_canonical_binary_quantity(ulong bytes, string expected) =>
        MetricsObjects.Memory(bytes).Should().Be(expected);

    [Theory]
    [InlineData(10_051, "10.051s")]
    [InlineData(10_000, "10s")]
    [InlineData(500, "500ms")]
    [InlineData(60_500, "1m0.5s")]
    [InlineData(3_723_000, "1h2m3s")]
    public void The_window_is_written_as_a_Go_duration(int milliseconds, string expected) =>
        K8sSharp.Api.Printing.GoDurationText.Format(TimeSpan.FromMilliseconds(milliseconds)).Should().Be(expected);
}
