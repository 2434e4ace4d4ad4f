using k8s.Models;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>A metric's replica proposal and the current value it was computed from.</summary>
internal sealed record ReplicaProposal(int Replicas, int? Utilization, long RawAverage, DateTimeOffset Timestamp);

/// <summary>
/// Upstream's ReplicaCalculator for Resource metrics: desired = ceil(usageRatio × pods counted), unchanged while the
/// ratio is within the tolerance. Pods without metrics count as using 100% of their request (or the target, if higher)
/// on a scale-down and 0% on a scale-up; unready pods count as 0% on a scale-up and are left out otherwise; a
/// correction that would reverse the direction keeps the current count. Failures throw
/// <see cref="MetricsUnavailableException"/> with upstream's messages.
/// </summary>
internal sealed class ReplicaCalculator(HorizontalOptions options)
{
    /// <summary>An AverageUtilization target: usage as a percentage of the pods' requests.</summary>
    public ReplicaProposal ResourceReplicas(int currentReplicas, int targetUtilization, string resource, IReadOnlyList<V1Pod> pods,
        ResourceMetrics metrics, DateTimeOffset now)
    {
        var (samples, groups) = Usable(pods, metrics, resource, now);
        var requests = PodGroups.Requests(pods, resource);
        var (ratio, utilization, raw) = UtilizationRatio(samples, requests, targetUtilization);
        var proposal = new ReplicaProposal(currentReplicas, utilization, raw, metrics.Timestamp);
        var scaleUpWithUnready = groups.Unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return Math.Abs(1.0 - ratio) <= options.Tolerance ? proposal : proposal with { Replicas = Ceiling(ratio * groups.ReadyCount) };
        }
        var fallback = Math.Max(100, targetUtilization);
        Fill(samples, groups, ratio, scaleUpWithUnready, pod => requests[pod] * fallback / 100);
        var (newRatio, _, _) = UtilizationRatio(samples, requests, targetUtilization);
        return proposal with { Replicas = Corrected(currentReplicas, ratio, newRatio, samples.Count) };
    }

    /// <summary>An AverageValue target: the pods' mean usage against a raw milli-value.</summary>
    public ReplicaProposal RawResourceReplicas(int currentReplicas, long targetMilli, string resource, IReadOnlyList<V1Pod> pods,
        ResourceMetrics metrics, DateTimeOffset now)
    {
        var (samples, groups) = Usable(pods, metrics, resource, now);
        var (ratio, usage) = UsageRatio(samples, targetMilli);
        var proposal = new ReplicaProposal(currentReplicas, null, usage, metrics.Timestamp);
        var scaleUpWithUnready = groups.Unready.Count > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return Math.Abs(1.0 - ratio) <= options.Tolerance ? proposal : proposal with { Replicas = Ceiling(ratio * groups.ReadyCount) };
        }
        Fill(samples, groups, ratio, scaleUpWithUnready, _ => targetMilli);
        var (newRatio, _) = UsageRatio(samples, targetMilli);
        return proposal with { Replicas = Corrected(currentReplicas, ratio, newRatio, samples.Count) };
    }

    /// <summary>The samples of the pods that count (ignored and unready pods dropped) and the pods' groups.</summary>
    private (Dictionary<string, long> Samples, PodGroups Groups) Usable(IReadOnlyList<V1Pod> pods, ResourceMetrics metrics, string resource, DateTimeOffset now)
    {
        if (pods.Count == 0)
        {
            throw new MetricsUnavailableException("no pods returned by selector while calculating replica count");
        }
        var groups = PodGroups.Of(pods, metrics.Pods, resource, options.CpuInitializationPeriod, options.InitialReadinessDelay, now);
        var samples = metrics.Pods
            .Where(m => !groups.Ignored.Contains(m.Key) && !groups.Unready.Contains(m.Key))
            .ToDictionary(m => m.Key, m => m.Value.MilliValue);
        if (samples.Count == 0)
        {
            throw new MetricsUnavailableException("did not receive metrics for targeted pods (pods might be unready)");
        }
        return (samples, groups);
    }

    /// <summary>Missing pods: <paramref name="scaleDownValue"/> below target, 0 above; unready pods 0 on a scale-up.</summary>
    private static void Fill(Dictionary<string, long> samples, PodGroups groups, double ratio, bool scaleUpWithUnready, Func<string, long> scaleDownValue)
    {
        foreach (var pod in groups.Missing)
        {
            if (ratio < 1.0)
            {
                samples[pod] = scaleDownValue(pod);
            }
            else if (ratio > 1.0)
            {
                samples[pod] = 0;
            }
        }
        if (scaleUpWithUnready)
        {
            foreach (var pod in groups.Unready)
            {
                samples[pod] = 0;
            }
        }
    }

    /// <summary>The recomputed proposal, unless it is within tolerance or flips the direction of the first ratio.</summary>
    private int Corrected(int currentReplicas, double ratio, double newRatio, int counted)
    {
        if (Math.Abs(1.0 - newRatio) <= options.Tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0))
        {
            return currentReplicas;
        }
        var replicas = Ceiling(newRatio * counted);
        return (newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas) ? currentReplicas : replicas;
    }

    /// <summary>
    /// Upstream GetResourceUtilizationRatio: the integer percentage sum(usage)×100/sum(requests) over pods with both,
    /// its ratio to the target, and the mean raw usage.
    /// </summary>
    internal static (double Ratio, int Utilization, long RawAverage) UtilizationRatio(IReadOnlyDictionary<string, long> samples,
        IReadOnlyDictionary<string, long> requests, int targetUtilization)
    {
        long usageTotal = 0, requestsTotal = 0, counted = 0;
        foreach (var (pod, usage) in samples)
        {
            if (requests.TryGetValue(pod, out var request))
            {
                usageTotal += usage;
                requestsTotal += request;
                counted++;
            }
        }
        if (requestsTotal == 0)
        {
            throw new MetricsUnavailableException("no metrics returned matched known pods");
        }
        var utilization = (int)Math.Clamp(usageTotal * 100 / requestsTotal, int.MinValue, int.MaxValue);
        return ((double)utilization / targetUtilization, utilization, usageTotal / counted);
    }

    /// <summary>Upstream GetMetricUsageRatio: the mean usage (integer division) against the target.</summary>
    internal static (double Ratio, long Usage) UsageRatio(IReadOnlyDictionary<string, long> samples, long targetMilli)
    {
        var usage = samples.Values.Sum() / samples.Count;
        return ((double)usage / targetMilli, usage);
    }

    private static int Ceiling(double value) => (int)Math.Ceiling(value);
}
