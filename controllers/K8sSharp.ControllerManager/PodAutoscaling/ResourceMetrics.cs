namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>One pod's usage of a resource (the sum over its containers) in milli-units, with its sample time and window.</summary>
internal sealed record PodMetric(long MilliValue, DateTimeOffset Timestamp, TimeSpan Window);

/// <summary>
/// The usage of one resource by the pods a selector matched (upstream PodMetricsInfo), keyed by pod name, and the
/// timestamp of the first sample. Pods the metrics API did not report, or reported without the resource for some
/// container, are absent.
/// </summary>
internal sealed record ResourceMetrics(IReadOnlyDictionary<string, PodMetric> Pods, DateTimeOffset Timestamp);

/// <summary>
/// The resource metrics API (metrics.k8s.io) as the HPA controller reads it: the process edge that tests fake.
/// Failures throw <see cref="MetricsUnavailableException"/> with upstream's message.
/// </summary>
internal interface IResourceMetricsClient
{
    Task<ResourceMetrics> GetResourceMetricAsync(string resource, string ns, string selector, CancellationToken cancellationToken);
}

/// <summary>
/// A failure to read or compute a metric; the message is what upstream puts into events and errors. Once attributed
/// to a metric of an HPA it carries the ScalingActive condition's reason and message.
/// </summary>
internal sealed class MetricsUnavailableException : Exception
{
    public string? Reason { get; init; }

    public string? ConditionMessage { get; init; }

    public MetricsUnavailableException()
    {
    }

    public MetricsUnavailableException(string message)
        : base(message)
    {
    }

    public MetricsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
