using System.Globalization;
using k8s.Models;
using K8sSharp.Proxy.Health;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>The change counters and the network programming latency, as upstream's kube-proxy reports them.</summary>
public sealed class PendingChangesTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
    private readonly FakeTimeProvider time = new(Start);
    private readonly CollectorRegistry registry = Metrics.NewCustomRegistry();
    private readonly ProxyMetrics metrics;
    private readonly PendingChanges changes;

    public PendingChangesTests()
    {
        metrics = new ProxyMetrics(registry);
        changes = new PendingChanges(metrics, time);
    }

    private static V1EndpointSlice SliceOf(string service, string name, DateTimeOffset? trigger)
    {
        var slice = Slice("ns1", service, name, [SlicePort("http", 80)], Endpoint("10.244.1.1"));
        if (trigger is { } at)
        {
            slice.Metadata.Annotations = new Dictionary<string, string>
            {
                [PendingChanges.TriggerTimeAnnotation] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
        }
        return slice;
    }

    private async Task<string> ExportAsync()
    {
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    [Fact]
    public async Task Endpoint_changes_are_counted_and_pending_per_service_until_a_sync_takes_them()
    {
        changes.EndpointSliceChanged(SliceOf("web", "web-a", null));
        changes.EndpointSliceChanged(SliceOf("web", "web-b", null));
        changes.EndpointSliceChanged(SliceOf("db", "db-a", null));
        changes.ServiceChanged(Service("ns1", "web", "10.96.0.41", ServicePort("http", 80)));
        var before = await ExportAsync();
        before.Should().Contain("kubeproxy_sync_proxy_rules_endpoint_changes_total 3")
            .And.Contain("kubeproxy_sync_proxy_rules_endpoint_changes_pending 2", "two services have pending endpoint changes")
            .And.Contain("kubeproxy_sync_proxy_rules_service_changes_total 1")
            .And.Contain("kubeproxy_sync_proxy_rules_service_changes_pending 1");

        changes.Take();
        var after = await ExportAsync();
        after.Should().Contain("kubeproxy_sync_proxy_rules_endpoint_changes_total 3", "the total never drops")
            .And.Contain("kubeproxy_sync_proxy_rules_endpoint_changes_pending 0")
            .And.Contain("kubeproxy_sync_proxy_rules_service_changes_pending 0");
    }

    [Fact]
    public async Task Network_programming_latency_runs_from_the_trigger_time_to_the_synced_rules()
    {
        time.Advance(TimeSpan.FromSeconds(10));
        changes.EndpointSliceChanged(SliceOf("web", "web-a", Start.AddSeconds(8)));
        changes.EndpointSliceChanged(SliceOf("old", "old-a", Start.AddSeconds(-30)));
        time.Advance(TimeSpan.FromSeconds(2));

        var triggers = changes.Take();
        triggers.Should().Equal([Start.AddSeconds(8)], "a trigger older than the proxy's start measures its downtime, not programming");
        metrics.Programmed(triggers, time.GetUtcNow());

        var text = await ExportAsync();
        text.Should().Contain("kubeproxy_network_programming_duration_seconds_count 1")
            .And.Contain("kubeproxy_network_programming_duration_seconds_sum 4")
            .And.Contain("kubeproxy_network_programming_duration_seconds_bucket{le=\"4\"} 1")
            .And.Contain("kubeproxy_network_programming_duration_seconds_bucket{le=\"3\"} 0");
        changes.Take().Should().BeEmpty("taken trigger times are not observed twice");
    }

    [Fact]
    public async Task A_slice_without_a_service_name_is_no_change_of_ours()
    {
        var orphan = SliceOf("web", "orphan", null);
        orphan.Metadata.Labels = null;
        changes.EndpointSliceChanged(orphan);
        (await ExportAsync()).Should().Contain("kubeproxy_sync_proxy_rules_endpoint_changes_total 0");
    }
}
