using Prometheus;

namespace K8sSharp.Proxy.Health;

/// <summary>The kube-proxy sync metrics (names and meaning as upstream), in the registry /metrics serves.</summary>
internal sealed class ProxyMetrics
{
    private readonly Histogram syncDuration;
    private readonly Gauge lastSync;
    private readonly Gauge rules;

    public ProxyMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        syncDuration = factory.CreateHistogram("kubeproxy_sync_proxy_rules_duration_seconds", "SyncProxyRules latency in seconds",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        lastSync = factory.CreateGauge("kubeproxy_sync_proxy_rules_last_timestamp_seconds", "The last time proxy rules were successfully synced");
        rules = factory.CreateGauge("kubeproxy_sync_proxy_rules_iptables_total", "Total number of iptables rules owned by kube-proxy",
            new GaugeConfiguration { LabelNames = ["table"] });
    }

    public void Synced(TimeSpan duration, DateTimeOffset at, int filterRules, int natRules)
    {
        syncDuration.Observe(duration.TotalSeconds);
        lastSync.Set(at.ToUnixTimeMilliseconds() / 1000.0);
        rules.WithLabels("filter").Set(filterRules);
        rules.WithLabels("nat").Set(natRules);
    }
}
