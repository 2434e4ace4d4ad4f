using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.ControllerManager.NodeLifecycle;

/// <summary>
/// Deletes pods from Nodes with NoExecute taints they do not tolerate (upstream pkg/controller/tainteviction). Keys are
/// pods. A pod that does not tolerate every NoExecute taint of its Node is deleted at once; one that tolerates them
/// all for a while is deleted when the shortest tolerationSeconds of the tolerations it relies on has passed since
/// this controller first saw it so (the API server gives every pod 300 s for not-ready and unreachable); tolerations
/// without tolerationSeconds protect forever. Taints removed in time cancel the eviction. Before deleting, the pod
/// gets the condition DisruptionTarget (reason DeletionByTaintManager); events TaintManagerEviction say what happened.
/// The first-seen times are the controller's memory (as upstream's timed workers): a restart starts them afresh.
/// </summary>
internal sealed partial class TaintEvictionController : QueuedController
{
    private readonly IKubernetes client;
    private readonly IEventRecorder events;
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> scheduledSince = new(StringComparer.Ordinal);
    private Lister<V1Pod> pods = null!;
    private Lister<V1Node> nodes = null!;

    public TaintEvictionController(IKubernetes client, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.events = events;
    }

    public override string Name => "taint-eviction-controller";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        var nodeInformer = informers.GetOrAdd(() => ListWatchers.For<V1Node>(client));
        podInformer.Indexer.TryAddIndex(IndexFuncs.NodeName, IndexFuncs.PodByNodeName);
        pods = podInformer.Lister;
        nodes = nodeInformer.Lister;
        EnqueueOnEveryChange(podInformer);
        nodeInformer.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = EnqueuePodsOn,
            OnUpdate = (old, node) =>
            {
                if (KubernetesJson.Serialize(NodeTaints.NoExecuteTaints(old)) != KubernetesJson.Serialize(NodeTaints.NoExecuteTaints(node)))
                {
                    EnqueuePodsOn(node);
                }
            },
        });
    }

    private void EnqueuePodsOn(V1Node node)
    {
        foreach (var pod in pods.ByIndex(IndexFuncs.NodeName, node.Metadata.Name))
        {
            Queue.Add(ObjectKeys.For(pod));
        }
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var pod = pods.Get(ns, name);
        if (pod is null || pod.Metadata.DeletionTimestamp is not null)
        {
            Unschedule(key);
            return;
        }
        var taints = string.IsNullOrEmpty(pod.Spec?.NodeName) ? [] : NodeTaints.NoExecuteTaints(nodes.Get(null, pod.Spec.NodeName));
        var decision = Evictions.Decide(taints, pod.Spec?.Tolerations);
        if (decision is null)
        {
            if (Unschedule(key))
            {
                events.Event(pod, EventTypes.Normal, "TaintManagerEviction", $"Cancelling deletion of Pod {key}");
            }
            return;
        }
        var now = Time.GetUtcNow();
        DateTimeOffset since;
        lock (gate)
        {
            since = scheduledSince.TryGetValue(key, out var first) ? first : scheduledSince[key] = now;
        }
        var due = since + decision.Value;
        if (now < due)
        {
            Queue.AddAfter(key, due - now);
            return;
        }
        await EvictAsync(pod, key, cancellationToken);
        Unschedule(key);
    }

    private bool Unschedule(string key)
    {
        lock (gate)
        {
            return scheduledSince.Remove(key);
        }
    }

    private async Task EvictAsync(V1Pod pod, string key, CancellationToken cancellationToken)
    {
        events.Event(pod, EventTypes.Normal, "TaintManagerEviction", $"Marking for deletion Pod {key}");
        try
        {
            await MarkDisruptionTargetAsync(pod, cancellationToken);
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            LogEvicted(Logger, key, pod.Spec.NodeName);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // already gone
        }
    }

    /// <summary>Upstream addConditionAndDeletePod: the reason for the deletion, readable while the pod terminates.</summary>
    private async Task MarkDisruptionTargetAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var conditions = new JsonArray();
        foreach (var condition in pod.Status?.Conditions ?? [])
        {
            if (condition.Type != "DisruptionTarget")
            {
                conditions.Add(JsonNode.Parse(KubernetesJson.Serialize(condition)));
            }
        }
        conditions.Add(new JsonObject
        {
            ["type"] = "DisruptionTarget",
            ["status"] = "True",
            ["reason"] = "DeletionByTaintManager",
            ["message"] = "Taint manager: deleting due to NoExecute taint",
            ["lastTransitionTime"] = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        });
        var patch = new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } };
        await client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    [LoggerMessage(EventId = 5801, Level = LogLevel.Information, Message = "evicted pod {Pod} from node {Node}: NoExecute taint not tolerated (any longer)")]
    private static partial void LogEvicted(ILogger logger, string pod, string node);
}

/// <summary>The eviction rule of one pod (upstream processPodOnNode, GetMatchingTolerations, getMinTolerationTime).</summary>
internal static class Evictions
{
    /// <summary>
    /// How long after first sight the pod must be deleted: zero when some taint is not tolerated (or a toleration it
    /// relies on has tolerationSeconds ≤ 0), the smallest tolerationSeconds of the tolerations it relies on otherwise;
    /// null when there is nothing to evict for (no NoExecute taints, or tolerated forever).
    /// </summary>
    public static TimeSpan? Decide(IReadOnlyList<V1Taint> noExecuteTaints, IList<V1Toleration>? tolerations)
    {
        if (noExecuteTaints.Count == 0)
        {
            return null;
        }
        var used = new List<V1Toleration>();
        foreach (var taint in noExecuteTaints)
        {
            var match = tolerations?.FirstOrDefault(t => Tolerations.Tolerates(t, taint));
            if (match is null)
            {
                return TimeSpan.Zero;
            }
            used.Add(match);
        }
        var bounded = used.Where(t => t.TolerationSeconds is not null).Select(t => Math.Max(0, t.TolerationSeconds!.Value)).ToList();
        return bounded.Count == 0 ? null : TimeSpan.FromSeconds(bounded.Min());
    }
}
