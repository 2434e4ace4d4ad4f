using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using K8sSharp.ApiServer.Metrics;
using K8sSharp.ApiServer.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Metrics;

/// <summary>An API server whose kubelet scrapes are scripted by the test.</summary>
public sealed class MetricsApiFixture : ApiServerFixture
{
    internal ScriptedMetricsSource Source { get; } = new();

    public Task ScrapeAsync() =>
        Services.GetServices<IHostedService>().OfType<MetricsScraper>().Single().ScrapeAllAsync(CancellationToken.None);

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IResourceMetricsSource>(Source);
}

/// <summary>Answers each node's scrape with what the test set last, as a kubelet answers with its latest sample.</summary>
internal sealed class ScriptedMetricsSource : IResourceMetricsSource
{
    private readonly ConcurrentDictionary<string, NodeScrape> latest = new(StringComparer.Ordinal);

    public void Set(string node, NodeScrape scrape) => latest[node] = scrape;

    public Task<NodeScrape> ScrapeAsync(JsonObject node, CancellationToken ct) =>
        latest.TryGetValue((string)node["metadata"]!["name"]!, out var scrape)
            ? Task.FromResult(scrape)
            : throw new HttpRequestException("connection refused");
}

/// <summary>
/// metrics.k8s.io/v1beta1 through HTTP as kubectl top reads it: discovery, NodeMetrics and PodMetrics lists and gets
/// with selectors, objects without two samples left out, upstream's 404 and 405.
/// </summary>
public sealed class MetricsApiTests(MetricsApiFixture server) : IClassFixture<MetricsApiFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private readonly string node = "mnode-" + Guid.NewGuid().ToString("N")[..6];
    private readonly string ns = "metrics-" + Guid.NewGuid().ToString("N")[..6];

    public async Task InitializeAsync()
    {
        await CreateAsync("/api/v1/nodes", $$$"""
            {"metadata":{"name":"{{{node}}}","labels":{"zone":"a"}},
             "status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"127.0.0.1"}]}}
            """);
        await CreateAsync("/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{ns}}}"}}""");
        foreach (var (pod, app) in new[] { ("web-1", "web"), ("db-1", "db"), ("new-1", "web") })
        {
            await CreateAsync($"/api/v1/namespaces/{ns}/pods", $$$"""
                {"metadata":{"name":"{{{pod}}}","labels":{"app":"{{{app}}}"}},"spec":{"nodeName":"{{{node}}}","containers":[{"name":"c","image":"busybox:1.36"}]}}
                """);
        }
        server.Source.Set(node, Scrape(T0, nodeCpu: 100, ("web-1", 1), ("db-1", 2)));
        await server.ScrapeAsync();
        // new-1 starts between the two samples: one point only, so no usage yet.
        server.Source.Set(node, Scrape(T0.AddSeconds(10), nodeCpu: 105, ("web-1", 1.5), ("db-1", 2.1), ("new-1", 0.1)));
        await server.ScrapeAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Discovery_lists_the_group_with_nodes_and_pods_readable()
    {
        var list = await GetObjectAsync("/apis/metrics.k8s.io/v1beta1");
        list["resources"]!.AsArray().Select(r => ((string)r!["name"]!, (string)r["kind"]!, (bool)r["namespaced"]!))
            .Should().BeEquivalentTo([("nodes", "NodeMetrics", false), ("pods", "PodMetrics", true)]);
        var groups = await GetObjectAsync("/apis");
        groups["groups"]!.AsArray().Select(g => (string)g!["name"]!).Should().Contain("metrics.k8s.io");
    }

    [Fact]
    public async Task The_metrics_APIService_is_local_and_available()
    {
        var apiService = await GetObjectAsync("/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io");

        apiService["spec"]!["group"]!.GetValue<string>().Should().Be("metrics.k8s.io");
        apiService["spec"]!["service"].Should().BeNull();
        var available = apiService["status"]!["conditions"]!.AsArray().Single(c => (string)c!["type"]! == "Available")!;
        ((string)available["status"]!, (string)available["reason"]!).Should().Be(("True", "Local"));
    }

    [Fact]
    public async Task Node_metrics_carry_the_cpu_rate_over_the_window_and_the_node_labels()
    {
        var metrics = await GetObjectAsync($"/apis/metrics.k8s.io/v1beta1/nodes/{node}");

        metrics["kind"]!.GetValue<string>().Should().Be("NodeMetrics");
        metrics["metadata"]!["labels"]!["zone"]!.GetValue<string>().Should().Be("a");
        metrics["window"]!.GetValue<string>().Should().Be("10s");
        metrics["timestamp"]!.GetValue<string>().Should().Be("2027-01-15T08:00:10Z");
        metrics["usage"]!["cpu"]!.GetValue<string>().Should().Be("500m");
        metrics["usage"]!["memory"]!.GetValue<string>().Should().Be("1Gi");

        var selected = await GetObjectAsync("/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=zone%3Da");
        selected["kind"]!.GetValue<string>().Should().Be("NodeMetricsList");
        selected["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).Should().Contain(node);
        var none = await GetObjectAsync("/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=zone%3Db");
        none["items"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Pod_metrics_are_listed_for_pods_with_two_samples_and_filtered_by_their_labels()
    {
        var list = await GetObjectAsync($"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods");
        list["kind"]!.GetValue<string>().Should().Be("PodMetricsList");
        list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).Should().BeEquivalentTo(["web-1", "db-1"]);

        var web = await GetObjectAsync($"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods?labelSelector=app%3Dweb");
        var item = web["items"]!.AsArray().Should().ContainSingle().Subject!;
        item["metadata"]!["namespace"]!.GetValue<string>().Should().Be(ns);
        item["containers"]![0]!["name"]!.GetValue<string>().Should().Be("c");
        item["containers"]![0]!["usage"]!["cpu"]!.GetValue<string>().Should().Be("50m");
        item["containers"]![0]!["usage"]!["memory"]!.GetValue<string>().Should().Be("4Ki");

        var all = await GetObjectAsync($"/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.name%3Ddb-1,metadata.namespace%3D{ns}");
        all["items"]!.AsArray().Select(i => (string)i!["metadata"]!["namespace"]!).Should().Equal(ns);
    }

    [Fact]
    public async Task A_pod_without_usage_yet_or_unknown_is_not_found_as_metrics_server_says()
    {
        foreach (var pod in new[] { "new-1", "nosuch" })
        {
            var response = await server.Client.GetAsync($"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/{pod}");
            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await response.ReadObjectAsync())["message"]!.GetValue<string>().Should().Be($"podmetrics.metrics.k8s.io \"{ns}/{pod}\" not found");
        }
    }

    [Fact]
    public async Task A_deleted_node_loses_its_metrics()
    {
        var other = node + "-gone";
        await CreateAsync("/api/v1/nodes", $$$"""{"metadata":{"name":"{{{other}}}"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        server.Source.Set(other, Scrape(T0, 1));
        await server.ScrapeAsync();
        server.Source.Set(other, Scrape(T0.AddSeconds(10), 2));
        await server.ScrapeAsync();
        (await server.Client.GetAsync($"/apis/metrics.k8s.io/v1beta1/nodes/{other}")).StatusCode.Should().Be(HttpStatusCode.OK);

        await server.Client.DeleteAsync($"/api/v1/nodes/{other}");
        await server.ScrapeAsync();

        var response = await server.Client.GetAsync($"/apis/metrics.k8s.io/v1beta1/nodes/{other}");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.ReadObjectAsync())["message"]!.GetValue<string>().Should().Be($"nodemetrics.metrics.k8s.io \"{other}\" not found");
    }

    [Fact]
    public async Task Watches_and_writes_are_not_allowed()
    {
        (await server.Client.GetAsync("/apis/metrics.k8s.io/v1beta1/pods?watch=true")).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await server.Client.PostAsync($"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods", Body("{}"))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await server.Client.GetAsync("/apis/metrics.k8s.io/v1beta1/namespaces/x/nodes")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private NodeScrape Scrape(DateTimeOffset at, double nodeCpu, params (string Pod, double CpuSeconds)[] pods) => new(
        new MetricsPoint(at, (ulong)(nodeCpu * 1e9), 1UL << 30),
        pods.ToDictionary(p => new ContainerKey(ns, p.Pod, "c"), p => new MetricsPoint(at, (ulong)(p.CpuSeconds * 1e9), 4096)));

    private async Task CreateAsync(string path, string json)
    {
        var response = await server.Client.PostAsync(path, Body(json));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> GetObjectAsync(string path)
    {
        var response = await server.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }
}
