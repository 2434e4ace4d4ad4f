using FluentAssertions;
using K8sSharp.ApiServer.Metrics;

namespace K8sSharp.ApiServer.Tests.Metrics;

public sealed class MetricsStoreTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly ContainerKey App = new("web", "web-1", "app");
    private static readonly ContainerKey Sidecar = new("web", "web-1", "sidecar");

    private readonly MetricsStore store = new();

    [Fact]
    public void Nothing_is_reported_until_a_second_point_of_a_later_time_arrives()
    {
        store.Record("n1", Scrape(T0, cpuSeconds: 10, (App, 1)));
        store.Node("n1").Should().BeNull();
        store.Pods().Should().BeEmpty();

        store.Record("n1", Scrape(T0, cpuSeconds: 10, (App, 1)));
        store.Node("n1").Should().BeNull("a repeated point (the kubelet's cache) is not a second sample");

        store.Record("n1", Scrape(T0.AddSeconds(10), cpuSeconds: 15, (App, 2)));
        store.Node("n1")!.CpuNanocores.Should().Be(500_000_000);
        store.Pods().Should().ContainSingle().Which.Containers.Should().ContainSingle()
            .Which.Usage.CpuNanocores.Should().Be(100_000_000);
    }

    [Fact]
    public void A_pod_is_reported_only_when_every_container_has_a_usage()
    {
        store.Record("n1", Scrape(T0, 1, (App, 1)));
        store.Record("n1", Scrape(T0.AddSeconds(10), 2, (App, 2), (Sidecar, 1)));
        store.Pods().Should().BeEmpty("the sidecar has one point only");

        store.Record("n1", Scrape(T0.AddSeconds(20), 3, (App, 3), (Sidecar, 2)));
        store.Pods().Should().ContainSingle().Which.Containers.Select(c => c.Container).Should().Equal("app", "sidecar");
    }

    [Fact]
    public void A_forgotten_node_or_one_no_longer_listed_loses_its_points()
    {
        store.Record("n1", Scrape(T0, 1, (App, 1)));
        store.Record("n1", Scrape(T0.AddSeconds(10), 2, (App, 2)));
        store.Record("n2", Scrape(T0, 1));
        store.Record("n2", Scrape(T0.AddSeconds(10), 2));

        store.Forget("n1");
        store.Retain(new HashSet<string>(StringComparer.Ordinal) { "n1" });

        store.Node("n1").Should().BeNull();
        store.Node("n2").Should().BeNull();
        store.Pods().Should().BeEmpty();
    }

    private static NodeScrape Scrape(DateTimeOffset at, double cpuSeconds, params (ContainerKey Key, double CpuSeconds)[] containers) => new(
        new MetricsPoint(at, (ulong)(cpuSeconds * 1e9), 1 << 20),
        containers.ToDictionary(c => c.Key, c => new MetricsPoint(at, (ulong)(c.CpuSeconds * 1e9), 4096)));
}
