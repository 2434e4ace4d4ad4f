using System.Net;
using k8s.Autorest;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Preemption;
using K8sSharp.Scheduler.Queue;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Scheduler.Scheduling;

internal sealed partial class Scheduler
{
    public const string ScheduledReason = "Scheduled";
    public const string FailedSchedulingReason = "FailedScheduling";
    private static readonly TimeSpan ClaimBindTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Bindings in flight at most: enough to keep the API server busy while the loop schedules ahead (the pods are
    /// assumed already), without a burst opening a connection per pod.
    /// </summary>
    public const int MaxBindingsInFlight = 64;

    private readonly SemaphoreSlim bindingSlots = new(MaxBindingsInFlight);

    /// <summary>
    /// The binding cycle: WaitForFirstConsumer claims get the selected node (and are waited for), then the Binding is
    /// posted. On failure the assumed pod is forgotten and the pod retried after its backoff.
    /// </summary>
    private async Task BindAsync(QueuedPod queued, long cycle, string node, Decision decision, long started, CancellationToken cancellationToken)
    {
        var pod = queued.Pod;
        try
        {
            await PrepareVolumesAsync(decision.DelayedClaims, node, cancellationToken);
            await bindingSlots.WaitAsync(cancellationToken);
            try
            {
                await api.BindAsync(pod, node, cancellationToken);
            }
            finally
            {
                bindingSlots.Release();
            }
            metrics.Attempt(SchedulerMetrics.Scheduled, time.GetElapsedTime(started));
            api.Event(pod, EventTypes.Normal, ScheduledReason, $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to {node}");
        }
        catch (Exception e)
        {
            lock (cache.Gate)
            {
                cache.Forget(pod.Metadata.Uid ?? queued.Key);
            }
            metrics.Attempt(SchedulerMetrics.Error, time.GetElapsedTime(started));
            LogBindFailed(logger, queued.Key, node, e);
            if (e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound } || cancellationToken.IsCancellationRequested)
            {
                return;
            }
            // A failed binding frees what the pod was assumed to use, which may let other pods in.
            queue.MoveAllToActiveOrBackoff(ClusterEvent.AssignedPodDelete);
            queue.AddUnschedulable(queued, cycle, error: true);
            api.Event(pod, EventTypes.Warning, FailedSchedulingReason, "Binding rejected: " + ApiMessage(e));
        }
    }

    private async Task PrepareVolumesAsync(IReadOnlyList<V1PersistentVolumeClaim> claims, string node, CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
        {
            return;
        }
        foreach (var claim in claims.Where(c => c.Metadata.Annotations?.TryGetValue(KubernetesSchedulerApi.SelectedNodeAnnotation, out var n) != true || n != node))
        {
            await api.SelectNodeForClaimAsync(claim, node, cancellationToken);
        }
        await WaitUntilBoundAsync(claims, cancellationToken);
    }

    /// <summary>Upstream's PreBind waits (up to 10 minutes) for the claims to be bound by the volume controller or a provisioner.</summary>
    private async Task WaitUntilBoundAsync(IReadOnlyList<V1PersistentVolumeClaim> claims, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ClaimBindTimeout;
        while (!claims.All(c => profile.Volumes.Claim(c.Metadata.NamespaceProperty, c.Metadata.Name) is { } latest && Plugins.VolumeBinding.IsBound(latest)))
        {
            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"binding volumes: timed out waiting for the PersistentVolumeClaims of the pod to be bound");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    /// <summary>
    /// The failure half: the PodScheduled=False condition (only when it changes, so repeated failures do not churn
    /// the pod), the FailedScheduling event, and the preemption's deletions and nomination.
    /// </summary>
    private async Task RecordFailureAsync(V1Pod pod, Decision decision, CancellationToken cancellationToken)
    {
        var message = decision.Message ?? "scheduling failed";
        LogUnschedulable(logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, message);
        api.Event(pod, EventTypes.Warning, FailedSchedulingReason, message);
        try
        {
            if (decision.Preemption is { Succeeded: true } outcome)
            {
                await PreemptVictimsAsync(pod, outcome, cancellationToken);
            }
            var nominated = decision.Preemption?.NominatedNode;
            if (ConditionChanged(pod, message) || (nominated is not null && nominated != (pod.Status?.NominatedNodeName ?? "")))
            {
                var condition = new V1PodCondition
                {
                    Type = "PodScheduled",
                    Status = "False",
                    Reason = "Unschedulable",
                    Message = message,
                    LastTransitionTime = WholeSeconds(time.GetUtcNow()),
                };
                await api.UpdateStatusAsync(pod, condition, nominated, cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogStatusFailed(logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, e);
        }
    }

    private async Task PreemptVictimsAsync(V1Pod preemptor, PreemptionOutcome outcome, CancellationToken cancellationToken)
    {
        var disruption = new V1PodCondition
        {
            Type = "DisruptionTarget",
            Status = "True",
            Reason = "PreemptionByScheduler",
            Message = $"{profile.Name}: preempting to accommodate a higher priority pod",
            LastTransitionTime = WholeSeconds(time.GetUtcNow()),
        };
        foreach (var victim in outcome.Victims)
        {
            try
            {
                await api.PreemptAsync(victim.Pod, disruption, cancellationToken);
                api.Event(victim.Pod, EventTypes.Normal, "Preempted", $"Preempted by pod {preemptor.Metadata.Uid} on node {outcome.NominatedNode}");
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone: nothing left to preempt.
            }
        }
        foreach (var nominated in outcome.LowerNominated ?? [])
        {
            try
            {
                await api.ClearNominatedNodeAsync(nominated.Pod, cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone meanwhile: nothing to clear.
            }
        }
    }

    /// <summary>metav1.Time carries whole seconds on the wire.</summary>
    private static DateTime WholeSeconds(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static bool ConditionChanged(V1Pod pod, string message) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled") is not { Status: "False", Reason: "Unschedulable" } current
        || current.Message != message;

    /// <summary>The Status message of an API error, else the exception's.</summary>
    private static string ApiMessage(Exception e)
    {
        if (e is HttpOperationException { Response.Content: { Length: > 0 } body })
        {
            try
            {
                return (string?)System.Text.Json.Nodes.JsonNode.Parse(body)?["message"] ?? body;
            }
            catch (System.Text.Json.JsonException)
            {
                return body;
            }
        }
        return e.Message;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "binding {Pod} to {Node} failed")]
    private static partial void LogBindFailed(ILogger logger, string pod, string node, Exception exception);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "unable to schedule pod {Namespace}/{Name}: {Message}")]
    private static partial void LogUnschedulable(ILogger logger, string? @namespace, string name, string message);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "could not update the status of pod {Namespace}/{Name}")]
    private static partial void LogStatusFailed(ILogger logger, string? @namespace, string name, Exception exception);
}
