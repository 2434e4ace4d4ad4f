using k8s.Models;
using K8sSharp.Client.Cache;

namespace K8sSharp.ControllerManager.PodAutoscaling;

internal sealed partial class HorizontalController
{
    /// <summary>
    /// Upstream computeReplicasForMetrics: the highest proposal over the metrics, the metric it came from, a status per
    /// metric (an empty one, type "", for a metric that failed) and the first failure. Replicas is -1 when nothing can
    /// be acted on: the selector is unusable, every metric failed, or some failed and the rest would scale down.
    /// </summary>
    private async Task<MetricsOutcome> ComputeReplicasForMetricsAsync(HpaSync sync, V1Scale scale, CancellationToken cancellationToken)
    {
        if (SelectedPods(sync, scale.Status?.Selector) is not { } selected)
        {
            return new MetricsOutcome(-1, string.Empty, null, sync.Failure);
        }
        var specs = sync.Hpa.Spec.Metrics ?? [];
        var specReplicas = scale.Spec?.Replicas ?? 0;
        var statuses = new List<V2MetricStatus>();
        int replicas = 0, invalid = 0;
        string metric = string.Empty;
        string? firstError = null;
        (string Reason, string Message)? firstCondition = null;
        foreach (var spec in specs)
        {
            try
            {
                var (proposal, name, status) = await ComputeReplicasForMetricAsync(sync, spec, specReplicas, selected, cancellationToken);
                statuses.Add(status);
                if (replicas == 0 || proposal > replicas)
                {
                    (replicas, metric) = (proposal, name);
                }
            }
            catch (MetricsUnavailableException failure)
            {
                statuses.Add(new V2MetricStatus { Type = string.Empty });
                invalid++;
                firstError ??= failure.Message;
                firstCondition ??= (failure.Reason ?? string.Empty, failure.ConditionMessage ?? failure.Message);
            }
        }
        var error = firstError is null ? null : $"invalid metrics ({invalid} invalid out of {specs.Count}), first error is: {firstError}";
        if (invalid >= specs.Count || (invalid > 0 && replicas < specReplicas))
        {
            if (firstCondition is { } condition)
            {
                sync.Condition(HpaConditions.ScalingActive, false, condition.Reason, condition.Message);
            }
            return new MetricsOutcome(-1, string.Empty, statuses, error ?? "no metrics specified");
        }
        sync.Condition(HpaConditions.ScalingActive, true, "ValidMetricFound", $"the HPA was able to successfully calculate a replica count from {metric}");
        return new MetricsOutcome(replicas, metric, statuses, error);
    }

    /// <summary>
    /// The pods of the scale's selector (upstream validateAndParseSelector), or null after recording why not:
    /// SelectorRequired/InvalidSelector, or AmbiguousSelector when another HPA of the namespace selects some of them.
    /// </summary>
    private List<V1Pod>? SelectedPods(HpaSync sync, string? selectorText)
    {
        var hpa = sync.Hpa;
        if (string.IsNullOrEmpty(selectorText))
        {
            return Reject(sync, "SelectorRequired", "selector is required", "InvalidSelector", "the HPA target's scale is missing a selector");
        }
        V1LabelSelector selector;
        try
        {
            selector = LabelSelectors.Parse(selectorText);
        }
        catch (FormatException e)
        {
            var message = $"couldn't convert selector into a corresponding internal selector object: {e.Message}";
            return Reject(sync, "InvalidSelector", message, "InvalidSelector", message);
        }
        selectors[sync.Key] = selector;
        sync.Selector = selectorText;
        var ns = hpa.Metadata.NamespaceProperty;
        var selected = pods.List(ns).Where(p => LabelSelectors.Matches(selector, p.Metadata.Labels)).ToList();
        var controlling = selectors
            .Where(s => s.Key.StartsWith(ns + "/", StringComparison.Ordinal) && selected.Any(p => LabelSelectors.Matches(s.Value, p.Metadata.Labels)))
            .Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        if (controlling.Count > 1)
        {
            var message = $"pods by selector {selectorText} are controlled by multiple HPAs: [{string.Join(" ", controlling)}]";
            return Reject(sync, "AmbiguousSelector", message, "AmbiguousSelector", message);
        }
        return selected;
    }

    private List<V1Pod>? Reject(HpaSync sync, string eventReason, string error, string conditionReason, string conditionMessage)
    {
        events.Event(sync.Hpa, "Warning", eventReason, error);
        sync.Condition(HpaConditions.ScalingActive, false, conditionReason, conditionMessage);
        sync.Failure = error;
        return null;
    }

    /// <summary>
    /// One metric's proposal, its description for events and its status; throws <see cref="MetricsUnavailableException"/>
    /// carrying the ScalingActive reason and message after recording the metric's Warning event.
    /// </summary>
    private async Task<(int Replicas, string Name, V2MetricStatus Status)> ComputeReplicasForMetricAsync(HpaSync sync, V2MetricSpec spec,
        int specReplicas, List<V1Pod> selected, CancellationToken cancellationToken)
    {
        if (spec.Type != "Resource" || spec.Resource is not { } source)
        {
            throw Unsupported(sync, spec);
        }
        try
        {
            var (proposal, name, current) = await ComputeResourceAsync(sync, specReplicas, source, selected, cancellationToken);
            return (proposal, name, new V2MetricStatus { Type = "Resource", Resource = new V2ResourceMetricStatus { Name = source.Name, Current = current } });
        }
        catch (MetricsUnavailableException e)
        {
            events.Event(sync.Hpa, "Warning", "FailedGetResourceMetric", e.Message);
            throw new MetricsUnavailableException($"failed to get {source.Name} resource metric value: {e.Message}", e)
            {
                Reason = "FailedGetResourceMetric",
                ConditionMessage = $"the HPA was unable to compute the replica count: {e.Message}",
            };
        }
    }

    /// <summary>Upstream computeStatusForResourceMetricGeneric: an AverageValue target or an AverageUtilization one.</summary>
    private async Task<(int Replicas, string Name, V2MetricValueStatus Current)> ComputeResourceAsync(HpaSync sync, int specReplicas,
        V2ResourceMetricSource source, List<V1Pod> selected, CancellationToken cancellationToken)
    {
        var now = sync.Clock;
        var resource = source.Name;
        var target = source.Target;
        if (target?.AverageValue is { } averageValue)
        {
            var usage = await Wrapped($"failed to get {resource} usage: ", async () => calculator.RawResourceReplicas(specReplicas,
                Quantities.MilliValue(averageValue), resource, selected, await FetchAsync(resource, sync, cancellationToken), now));
            return (usage.Replicas, $"{resource} resource", new V2MetricValueStatus { AverageValue = Quantities.FromMilli(usage.RawAverage) });
        }
        if (target?.AverageUtilization is not { } utilization)
        {
            throw new MetricsUnavailableException("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set");
        }
        var proposal = await Wrapped($"failed to get {resource} utilization: ", async () => calculator.ResourceReplicas(specReplicas, utilization,
            resource, selected, await FetchAsync(resource, sync, cancellationToken), now));
        return (proposal.Replicas, $"{resource} resource utilization (percentage of request)",
            new V2MetricValueStatus { AverageUtilization = proposal.Utilization, AverageValue = Quantities.FromMilli(proposal.RawAverage) });
    }

    private async Task<ResourceMetrics> FetchAsync(string resource, HpaSync sync, CancellationToken cancellationToken)
    {
        try
        {
            return await metrics.GetResourceMetricAsync(resource, sync.Hpa.Metadata.NamespaceProperty, sync.Selector, cancellationToken);
        }
        catch (MetricsUnavailableException e)
        {
            throw new MetricsUnavailableException($"unable to get metrics for resource {resource}: {e.Message}", e);
        }
    }

    private static async Task<T> Wrapped<T>(string prefix, Func<Task<T>> compute)
    {
        try
        {
            return await compute();
        }
        catch (MetricsUnavailableException e)
        {
            throw new MetricsUnavailableException(prefix + e.Message, e);
        }
    }

    /// <summary>
    /// Pods, Object, External and ContainerResource metrics need the custom/external metrics APIs or per-container
    /// requests, which are not served here: such a metric fails with its upstream reason.
    /// </summary>
    private MetricsUnavailableException Unsupported(HpaSync sync, V2MetricSpec spec)
    {
        var (reason, error) = spec.Type switch
        {
            "Pods" => ("FailedGetPodsMetric", $"unable to get metric {spec.Pods?.Metric?.Name}: the custom metrics API (custom.metrics.k8s.io) is not served"),
            "Object" => ("FailedGetObjectMetric", $"unable to get metric {spec.ObjectProperty?.Metric?.Name}: the custom metrics API (custom.metrics.k8s.io) is not served"),
            "External" => ("FailedGetExternalMetric", $"unable to get external metric {spec.External?.Metric?.Name}: the external metrics API (external.metrics.k8s.io) is not served"),
            "ContainerResource" => ("FailedGetContainerResourceMetric", "container resource metrics are not supported"),
            _ => ("InvalidMetricSourceType", $"unknown metric source type \"{spec.Type}\""),
        };
        events.Event(sync.Hpa, "Warning", reason, error);
        return new MetricsUnavailableException(error) { Reason = reason, ConditionMessage = $"the HPA was unable to compute the replica count: {error}" };
    }

    /// <summary>What the metrics gave: replicas (-1: nothing to act on), the deciding metric, the statuses, the first error.</summary>
    private sealed record MetricsOutcome(int Replicas, string Metric, List<V2MetricStatus>? Statuses, string? Error);
}
