using System.Globalization;
using k8s.Models;

namespace K8sSharp.Proxy.Health;

/// <summary>
/// What the informers changed since the last sync took them (upstream's service and endpoint change trackers, as far
/// as the metrics need them): per kind, the services with pending changes, and the EndpointSlices'
/// <c>endpoints.kubernetes.io/last-change-trigger-time</c> values newer than this proxy's start (older ones measure the
/// time this proxy was not running, as upstream reasons), from which the network programming latency is observed once
/// the rules are in place.
/// </summary>
internal sealed class PendingChanges(ProxyMetrics metrics, TimeProvider time)
{
    public const string TriggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time";

    private readonly object gate = new();
    private readonly DateTimeOffset started = time.GetUtcNow();
    private readonly HashSet<string> services = new(StringComparer.Ordinal);
    private readonly HashSet<string> endpoints = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> triggerTimes = [];

    public void ServiceChanged(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (gate)
        {
            services.Add(service.Metadata.NamespaceProperty + "/" + service.Metadata.Name);
            metrics.ServiceChanged(services.Count);
        }
    }

    public void EndpointSliceChanged(V1EndpointSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        string? service = null;
        if (slice.Metadata.Labels?.TryGetValue(Model.ServiceModel.ServiceNameLabel, out service) != true || string.IsNullOrEmpty(service))
        {
            return;
        }
        lock (gate)
        {
            endpoints.Add(slice.Metadata.NamespaceProperty + "/" + service);
            if (TriggerTime(slice) is { } trigger && trigger > started)
            {
                triggerTimes.Add(trigger);
            }
            metrics.EndpointsChanged(endpoints.Count);
        }
    }

    /// <summary>Takes everything pending (a sync is about to read the caches): the pending gauges drop to zero, and the
    /// trigger times go to the caller, to be observed once the sync has succeeded.</summary>
    public IReadOnlyList<DateTimeOffset> Take()
    {
        lock (gate)
        {
            services.Clear();
            endpoints.Clear();
            metrics.ServiceChanged(0, counted: false);
            metrics.EndpointsChanged(0, counted: false);
            var taken = triggerTimes.ToList();
            triggerTimes.Clear();
            return taken;
        }
    }

    private static DateTimeOffset? TriggerTime(V1EndpointSlice slice) =>
        slice.Metadata.Annotations?.TryGetValue(TriggerTimeAnnotation, out var text) == true
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
}
