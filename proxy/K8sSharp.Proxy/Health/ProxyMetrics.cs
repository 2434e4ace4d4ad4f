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
    }

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
