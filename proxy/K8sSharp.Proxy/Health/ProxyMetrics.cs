using Prometheus;

namespace K8sSharp.Proxy.Health;

/// <summary>The kube-proxy sync metrics (names and meaning as upstream), in the registry /metrics serves.</summary>
internal sealed class ProxyMetrics
{
    private readonly Histogram syncDuration;
    private readonly Histogram fullSyncDuration;
    private readonly Histogram partialSyncDuration;
    private readonly Gauge lastSync;
    private readonly Gauge rules;
    private readonly Counter serviceChanges;
    private readonly Gauge serviceChangesPending;
    private readonly Counter endpointChanges;
    private readonly Gauge endpointChangesPending;
    private readonly Histogram networkProgramming;

    public ProxyMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        syncDuration = factory.CreateHistogram("kubeproxy_sync_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        fullSyncDuration = factory.CreateHistogram("kubeproxy_sync_full_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds for full resyncs",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        partialSyncDuration = factory.CreateHistogram("kubeproxy_sync_partial_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds for partial resyncs",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        lastSync = factory.CreateGauge("kubeproxy_sync_proxy_rules_last_timestamp_seconds", "The last time proxy rules were successfully synced");
        rules = factory.CreateGauge("kubeproxy_sync_proxy_rules_iptables_total", "Total number of iptables rules owned by kube-proxy",
            new GaugeConfiguration { LabelNames = ["table"] });
        serviceChanges = factory.CreateCounter("kubeproxy_sync_proxy_rules_service_changes_total", "Cumulative proxy rules Service changes");
        serviceChangesPending = factory.CreateGauge("kubeproxy_sync_proxy_rules_service_changes_pending", "Pending proxy rules Service changes");
        endpointChanges = factory.CreateCounter("kubeproxy_sync_proxy_rules_endpoint_changes_total", "Cumulative proxy rules Endpoint changes");
        endpointChangesPending = factory.CreateGauge("kubeproxy_sync_proxy_rules_endpoint_changes_pending", "Pending proxy rules Endpoint changes");
        networkProgramming = factory.CreateHistogram("kubeproxy_network_programming_duration_seconds", "In Cluster Network Programming Latency in seconds",
            new HistogramConfiguration { Buckets = NetworkProgrammingBuckets() });
    }

    /// <summary>A Service changed; <paramref name="pending"/> services now wait for a sync (counted: a real change, not
    /// the reset when a sync takes them).</summary>
    public void ServiceChanged(int pending, bool counted = true)
    {
        if (counted)
        {
            serviceChanges.Inc();
        }
        serviceChangesPending.Set(pending);
    }

    /// <summary>An EndpointSlice changed; <paramref name="pending"/> services' endpoints now wait for a sync.</summary>
    public void EndpointsChanged(int pending, bool counted = true)
    {
        if (counted)
        {
            endpointChanges.Inc();
        }
        endpointChangesPending.Set(pending);
    }

    /// <summary>The rules now reflect endpoint changes triggered at <paramref name="triggerTimes"/>.</summary>
    public void Programmed(IEnumerable<DateTimeOffset> triggerTimes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(triggerTimes);
        foreach (var trigger in triggerTimes)
        {
            networkProgramming.Observe(Math.Max(0, (now - trigger).TotalSeconds));
        }
    }

    /// <summary>upstream's buckets: 0.25 s and 0.5 s, every second to 59 s, every 5 s to 115 s, every 30 s to 300 s.</summary>
    private static double[] NetworkProgrammingBuckets() =>
        [0.25, 0.5, .. Enumerable.Range(1, 59).Select(s => (double)s), .. Enumerable.Range(0, 12).Select(i => 60.0 + (5 * i)), .. Enumerable.Range(0, 7).Select(i => 120.0 + (30 * i))];

    /// <summary>A successful sync: every sync counts in the overall histogram, and in the full or the partial one.</summary>
    public void Synced(bool full, TimeSpan duration, DateTimeOffset at, int filterRules, int natRules)
    {
        syncDuration.Observe(duration.TotalSeconds);
        (full ? fullSyncDuration : partialSyncDuration).Observe(duration.TotalSeconds);
        lastSync.Set(at.ToUnixTimeMilliseconds() / 1000.0);
        rules.WithLabels("filter").Set(filterRules);
        rules.WithLabels("nat").Set(natRules);
    }
}
