using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// The HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler): every sync period it reads each
/// HPA's target through the <c>/scale</c> subresource, computes a replica count from the metrics (the highest
/// proposal of all metrics), stabilizes and bounds it, writes it back through <c>/scale</c> and records the status
/// (current/desired replicas, lastScaleTime, currentMetrics, AbleToScale/ScalingActive/ScalingLimited) and events.
/// Keys are <c>namespace/name</c> of autoscaling/v2 HPAs; like upstream, a key is processed only after the sync
/// period has passed since it was queued, so a new HPA is first seen within one period. Failures are recorded on
/// the HPA and retried at the next period rather than with backoff.
/// </summary>
internal sealed partial class HorizontalController : QueuedController
{
    private readonly IKubernetes? client;
    private readonly IHorizontalWrites writes;
    private readonly IResourceMetricsClient metrics;
    private readonly IEventRecorder events;
    private readonly HorizontalOptions options;
    private readonly ReplicaCalculator calculator;
    private readonly ConcurrentDictionary<string, ScaleHistory> histories = new();
    private readonly ConcurrentDictionary<string, V1LabelSelector> selectors = new();
    private Lister<V2HorizontalPodAutoscaler> hpas = null!;
    private Lister<V1Pod> pods = null!;

    public HorizontalController(IKubernetes client, IEventRecorder events, HorizontalOptions options, TimeProvider time, ILogger logger)
        : this(new KubernetesHorizontalWrites(client), new ResourceMetricsApiClient(client), events, options, time, logger)
    {
        this.client = client;
    }

    internal HorizontalController(IHorizontalWrites writes, IResourceMetricsClient metrics, IEventRecorder events, HorizontalOptions options,
        TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.writes = writes;
        this.metrics = metrics;
        this.events = events;
        this.options = options;
        calculator = new ReplicaCalculator(options);
    }

    public override string Name => "horizontalpodautoscaling";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var hpaInformer = informers.GetOrAdd(() => ListWatchers.For<V2HorizontalPodAutoscaler>(client!));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client!));
        UseListers(hpaInformer.Lister, podInformer.Lister);
        hpaInformer.AddEventHandler(new ResourceEventHandler<V2HorizontalPodAutoscaler>
        {
            OnAdd = hpa => Queue.AddAfter(ObjectKeys.For(hpa), options.SyncPeriod),
            OnUpdate = (_, hpa) => Queue.AddAfter(ObjectKeys.For(hpa), options.SyncPeriod),
            OnDelete = hpa => Forget(ObjectKeys.For(hpa)),
        });
    }

    internal void UseListers(Lister<V2HorizontalPodAutoscaler> hpaLister, Lister<V1Pod> podLister)
    {
        hpas = hpaLister;
        pods = podLister;
    }

    private void Forget(string key)
    {
        histories.TryRemove(key, out _);
        selectors.TryRemove(key, out _);
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (hpas.GetByKey(key) is not { } shared)
        {
            Forget(key);
            return;
        }
        try
        {
            await ReconcileAutoscalerAsync(shared, key, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSyncFailed(Logger, key, e.Message, e);
        }
        Queue.AddAfter(key, options.SyncPeriod);
    }

    private async Task ReconcileAutoscalerAsync(V2HorizontalPodAutoscaler shared, string key, CancellationToken cancellationToken)
    {
        var hpa = KubernetesJson.Deserialize<V2HorizontalPodAutoscaler>(KubernetesJson.Serialize(shared));
        hpa.ApiVersion ??= "autoscaling/v2";
        hpa.Kind ??= "HorizontalPodAutoscaler";
        var original = StatusText(hpa.Status);
        hpa.Status ??= new V2HorizontalPodAutoscalerStatus();
        var sync = new HpaSync(hpa, key, NowInSeconds(), Time.GetUtcNow());
        if (await GetScaleAsync(sync, cancellationToken) is not { } scale)
        {
            await UpdateStatusIfNeededAsync(hpa, original, cancellationToken);
            return;
        }
        var current = scale.Spec?.Replicas ?? 0;
        var history = histories.GetOrAdd(key, _ => new ScaleHistory());
        history.RecordInitial(current, sync.Clock);
        var decision = await DecideAsync(sync, scale, current, history, cancellationToken);
        if (decision is null)
        {
            await UpdateStatusIfNeededAsync(hpa, original, cancellationToken);
            return;
        }
        var (desired, reason, statuses) = decision.Value;
        var rescale = desired != current;
        if (rescale && !await RescaleAsync(sync, scale, desired, reason, statuses, cancellationToken))
        {
            await UpdateStatusIfNeededAsync(hpa, original, cancellationToken);
            return;
        }
        if (rescale)
        {
            RecordScale(history, hpa, current, desired, sync.Clock);
        }
        SetStatus(hpa, current, rescale ? desired : current, statuses, rescale ? sync.Now : null);
        await UpdateStatusIfNeededAsync(hpa, original, cancellationToken);
    }

    /// <summary>
    /// The target's Scale, or null after recording why it could not be read (FailedGetScale). Sets AbleToScale
    /// SucceededGetScale on success.
    /// </summary>
    private async Task<V1Scale?> GetScaleAsync(HpaSync sync, CancellationToken cancellationToken)
    {
        var reference = sync.Hpa.Spec.ScaleTargetRef;
        var group = ScaleTarget.GroupOf(reference.ApiVersion);
        string failure;
        if (group is null)
        {
            failure = $"unexpected GroupVersion string: {reference.ApiVersion}";
        }
        else if (new ScaleTarget(group, reference.Kind, sync.Hpa.Metadata.NamespaceProperty, reference.Name) is not { IsKnown: true } target)
        {
            failure = $"no matches for kind \"{reference.Kind}\" in group \"{group}\"";
        }
        else
        {
            try
            {
                var scale = await writes.GetScaleAsync(target, cancellationToken);
                sync.Condition(HpaConditions.AbleToScale, true, "SucceededGetScale", "the HPA controller was able to get the target's current scale");
                return scale;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = ApiErrors.Message(e);
            }
        }
        events.Event(sync.Hpa, "Warning", "FailedGetScale", failure);
        sync.Condition(HpaConditions.AbleToScale, false, "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {failure}");
        return null;
    }

    /// <summary>
    /// The replica count to apply, the rescale reason and the metric statuses; null when the metrics gave nothing to
    /// act on (the status then carries the current replicas and whatever metric statuses there were).
    /// </summary>
    private async Task<(int Desired, string Reason, List<V2MetricStatus>? Statuses)?> DecideAsync(HpaSync sync, V1Scale scale, int current,
        ScaleHistory history, CancellationToken cancellationToken)
    {
        var hpa = sync.Hpa;
        var min = hpa.Spec.MinReplicas ?? 1;
        var max = hpa.Spec.MaxReplicas;
        if (current == 0 && min != 0)
        {
            sync.Condition(HpaConditions.ScalingActive, false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
            return (0, string.Empty, null);
        }
        if (current > max)
        {
            return (max, "Current number of replicas above Spec.MaxReplicas", null);
        }
        if (current < min)
        {
            return (min, "Current number of replicas below Spec.MinReplicas", null);
        }
        var computed = await ComputeReplicasForMetricsAsync(sync, scale, cancellationToken);
        if (computed.Replicas == -1)
        {
            SetStatus(hpa, current, hpa.Status.DesiredReplicas, computed.Statuses, null);
            events.Event(hpa, "Warning", "FailedComputeMetricsReplicas", computed.Error!);
            return null;
        }
        var proposed = Math.Max(computed.Replicas, 0);
        var reason = proposed > current ? $"{computed.Metric} above target" : proposed < current ? "All metrics below target" : string.Empty;
        var normalized = BehaviorDefaults.Complete(hpa.Spec.Behavior, options.DownscaleStabilization) is { } behavior
            ? ScaleNormalizer.WithBehavior(history, behavior, current, proposed, min, max, sync.Clock)
            : ScaleNormalizer.WithoutBehavior(history, current, proposed, min, max, options.DownscaleStabilization, sync.Clock);
        sync.Condition(HpaConditions.AbleToScale, true, normalized.AbleReason, normalized.AbleMessage);
        sync.Condition(HpaConditions.ScalingLimited, normalized.Limited, normalized.LimitReason, normalized.LimitMessage);
        return (normalized.Desired, reason, computed.Statuses);
    }

    /// <summary>Writes the new size through /scale; false after recording a failure (FailedRescale, FailedUpdateScale).</summary>
    private async Task<bool> RescaleAsync(HpaSync sync, V1Scale scale, int desired, string reason, List<V2MetricStatus>? statuses,
        CancellationToken cancellationToken)
    {
        var hpa = sync.Hpa;
        var reference = hpa.Spec.ScaleTargetRef;
        var target = new ScaleTarget(ScaleTarget.GroupOf(reference.ApiVersion)!, reference.Kind, hpa.Metadata.NamespaceProperty, reference.Name);
        var current = scale.Spec?.Replicas ?? 0;
        scale.Spec ??= new V1ScaleSpec();
        scale.Spec.Replicas = desired;
        try
        {
            await writes.UpdateScaleAsync(target, scale, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = ApiErrors.Message(e);
            events.Event(hpa, "Warning", "FailedRescale", $"New size: {desired}; reason: {reason}; error: {failure}");
            sync.Condition(HpaConditions.AbleToScale, false, "FailedUpdateScale", $"the HPA controller was unable to update the target scale: {failure}");
            SetStatus(hpa, current, hpa.Status.DesiredReplicas, statuses, null);
            return false;
        }
        sync.Condition(HpaConditions.AbleToScale, true, "SucceededRescale", $"the HPA controller was able to update the target scale to {desired}");
        events.Event(hpa, "Normal", "SuccessfulRescale", $"New size: {desired}; reason: {reason}");
        LogRescaled(Logger, sync.Key, current, desired, reason);
        return true;
    }

    /// <summary>Scale events feed the behavior policies' periods; without a behavior nothing reads them (upstream storeScaleEvent).</summary>
    private void RecordScale(ScaleHistory history, V2HorizontalPodAutoscaler hpa, int from, int to, DateTimeOffset now)
    {
        if (BehaviorDefaults.Complete(hpa.Spec.Behavior, options.DownscaleStabilization) is not { } behavior)
        {
            return;
        }
        var rules = to > from ? behavior.ScaleUp : behavior.ScaleDown;
        history.RecordScale(from, to, rules.Policies.Select(p => p.PeriodSeconds).DefaultIfEmpty(0).Max(), now);
    }

    /// <summary>Upstream setStatus: the status rebuilt from the counts, metrics and conditions (observedGeneration is not kept).</summary>
    private static void SetStatus(V2HorizontalPodAutoscaler hpa, int current, int desired, List<V2MetricStatus>? statuses, DateTime? scaledAt)
    {
        hpa.Status = new V2HorizontalPodAutoscalerStatus
        {
            CurrentReplicas = current,
            DesiredReplicas = desired,
            LastScaleTime = scaledAt ?? hpa.Status.LastScaleTime,
            CurrentMetrics = statuses is { Count: > 0 } ? statuses : null,
            Conditions = hpa.Status.Conditions,
        };
    }

    private async Task UpdateStatusIfNeededAsync(V2HorizontalPodAutoscaler hpa, string original, CancellationToken cancellationToken)
    {
        if (StatusText(hpa.Status) == original)
        {
            return;
        }
        try
        {
            await writes.UpdateStatusAsync(hpa, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            events.Event(hpa, "Warning", "FailedUpdateStatus", ApiErrors.Message(e));
            throw;
        }
    }

    /// <summary>The status as JSON, to tell whether a sync changed it (upstream compares semantically).</summary>
    private static string StatusText(V2HorizontalPodAutoscalerStatus? status) => status is null ? string.Empty : KubernetesJson.Serialize(status);

    /// <summary>One sync of one HPA: the working copy whose status is being rebuilt, and the time it runs at.</summary>
    private sealed record HpaSync(V2HorizontalPodAutoscaler Hpa, string Key, DateTime Now, DateTimeOffset Clock)
    {
        /// <summary>The scale's selector, once validated: what the metrics API is asked with.</summary>
        public string Selector { get; set; } = string.Empty;

        /// <summary>Why the selector could not be used, once known.</summary>
        public string? Failure { get; set; }

        public void Condition(string type, bool value, string reason, string message) =>
            HpaConditions.Set(Hpa.Status, type, value, reason, message, Now);
    }

    [LoggerMessage(EventId = 5801, Level = LogLevel.Warning, Message = "horizontal pod autoscaler {Key}: {Failure}")]
    private static partial void LogSyncFailed(ILogger logger, string key, string failure, Exception exception);

    [LoggerMessage(EventId = 5802, Level = LogLevel.Information, Message = "horizontal pod autoscaler {Key}: rescaled from {Current} to {Desired}: {Reason}")]
    private static partial void LogRescaled(ILogger logger, string key, int current, int desired, string reason);
}
