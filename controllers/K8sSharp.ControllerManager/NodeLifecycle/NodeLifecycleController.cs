using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.NodeLifecycle;

/// <summary>
/// Watches Node health and keeps the Node's taints in step (upstream pkg/controller/nodelifecycle). Keys are Node
/// names; every Node is looked at again each <see cref="MonitorPeriod"/> (5s) and on every change of it or of its
/// Lease. One look: <see cref="NodeHealthMonitor"/> decides whether the Node went silent (then its conditions are
/// written Unknown and the event NodeNotReady is recorded); NoSchedule taints mirror the conditions; the NoExecute
/// taint not-ready (Ready False) or unreachable (Ready Unknown) is added at the pace <see cref="ZoneStates"/> allows,
/// swapped at once between the two, and removed when the Node is Ready again (or every zone is down); pods on a Node
/// that is not Ready are marked not ready. Evicting pods from NoExecute-tainted Nodes is <see cref="TaintEvictionController"/>'s job.
/// </summary>
internal sealed partial class NodeLifecycleController : Hosting.QueuedController
{
    public static readonly TimeSpan MonitorPeriod = TimeSpan.FromSeconds(5);
    public const string LeaseNamespace = "kube-node-lease";

    private readonly IKubernetes client;
    private readonly IEventRecorder events;
    private readonly NodeHealthMonitor monitor;
    private readonly ZoneStates zones = new();
    private Lister<V1Node> nodes = null!;
    private Lister<V1Lease> leases = null!;
    private Lister<V1Pod> pods = null!;

    public NodeLifecycleController(IKubernetes client, IEventRecorder events, NodeHealthMonitor monitor, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.events = events;
        this.monitor = monitor;
    }

    public override string Name => "nodelifecycle";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var nodeInformer = informers.GetOrAdd(() => ListWatchers.For<V1Node>(client));
        var leaseInformer = informers.GetOrAdd(() => ListWatchers.For<V1Lease>(client, LeaseNamespace));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        podInformer.Indexer.TryAddIndex(IndexFuncs.NodeName, IndexFuncs.PodByNodeName);
        nodes = nodeInformer.Lister;
        leases = leaseInformer.Lister;
        pods = podInformer.Lister;
        EnqueueOnEveryChange(nodeInformer);
        leaseInformer.AddEventHandler(new ResourceEventHandler<V1Lease>
        {
            OnAdd = l => Queue.Add(l.Metadata.Name),
            OnUpdate = (_, l) => Queue.Add(l.Metadata.Name),
        });
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var node = nodes.Get(null, key);
        if (node is null)
        {
            monitor.Forget(key);
            return;
        }
        var now = Time.GetUtcNow();
        var assessment = monitor.Assess(node, leases.Get(LeaseNamespace, key), now);
        if (assessment.StatusUpdate is { } update)
        {
            node = await client.CoreV1.ReplaceNodeStatusAsync(update, key, cancellationToken: cancellationToken);
            LogSilent(Logger, key);
            if (assessment.ObservedReady == "True")
            {
                events.Event(node, EventTypes.Normal, "NodeNotReady", $"Node {key} status is now: NodeNotReady");
            }
        }
        var retryTaintAfter = await SyncTaintsAsync(node, now, cancellationToken);
        if (NodeHealthMonitor.Ready(node)?.Status != "True")
        {
            await PodReadiness.MarkNotReadyAsync(client, events, pods.ByIndex(IndexFuncs.NodeName, key), now, cancellationToken);
        }
        Queue.AddAfter(key, retryTaintAfter is { } wait && wait < MonitorPeriod ? wait : MonitorPeriod);
    }

    /// <summary>Writes the taints the Node's state calls for; returns when to try again if a NoExecute taint had to wait its turn.</summary>
    private async Task<TimeSpan?> SyncTaintsAsync(V1Node node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (taints, retryAfter) = DesiredTaints(node, now);
        if (!SameTaints(node.Spec?.Taints, taints))
        {
            var copy = KubernetesJson.Deserialize<V1Node>(KubernetesJson.Serialize(node));
            copy.Spec ??= new V1NodeSpec();
            copy.Spec.Taints = taints.Count > 0 ? taints : null;
            await client.CoreV1.ReplaceNodeAsync(copy, node.Metadata.Name, cancellationToken: cancellationToken);
            LogTaints(Logger, node.Metadata.Name, string.Join(", ", taints.Select(t => $"{t.Key}:{t.Effect}")));
        }
        return retryAfter;
    }

    /// <summary>The Node's taints with ours brought up to date (upstream doNoScheduleTaintingPass + processTaintBaseEviction).</summary>
    internal (List<V1Taint> Taints, TimeSpan? RetryAfter) DesiredTaints(V1Node node, DateTimeOffset now)
    {
        var current = node.Spec?.Taints ?? [];
        var noSchedule = NodeTaints.NoScheduleKeysFor(node);
        var taints = current
            .Where(t => !(t.Effect == NodeTaints.NoSchedule && NodeTaints.OwnedNoScheduleKeys.Contains(t.Key) && !noSchedule.Contains(t.Key)))
            .ToList();
        foreach (var key in noSchedule.Where(k => !NodeTaints.Has(node, k, NodeTaints.NoSchedule)))
        {
            taints.Add(new V1Taint { Key = key, Effect = NodeTaints.NoSchedule });
        }
        var all = nodes.List();
        var want = ZoneStates.AllZonesDisrupted(all) ? null : NodeTaints.NoExecuteKeyFor(NodeHealthMonitor.Ready(node)?.Status ?? "Unknown");
        var hadOther = taints.RemoveAll(t => t.Effect == NodeTaints.NoExecute && t.Key is NodeTaints.NotReady or NodeTaints.Unreachable && t.Key != want) > 0;
        if (want is null || NodeTaints.Has(node, want, NodeTaints.NoExecute))
        {
            return (taints, null);
        }
        // Swapping not-ready and unreachable is immediate; a new NoExecute taint waits for its zone's turn.
        if (!hadOther && zones.TryTaint(ZoneStates.ZoneOf(node), all, now) is { } wait)
        {
            return (taints, wait);
        }
        taints.Add(new V1Taint { Key = want, Effect = NodeTaints.NoExecute, TimeAdded = now.UtcDateTime });
        return (taints, null);
    }

    private static bool SameTaints(IList<V1Taint>? a, List<V1Taint> b) =>
        (a?.Count ?? 0) == b.Count && (a ?? []).Zip(b).All(p => p.First.Key == p.Second.Key && p.First.Effect == p.Second.Effect && p.First.Value == p.Second.Value);

    [LoggerMessage(EventId = 5701, Level = LogLevel.Warning, Message = "node {Node} stopped posting status and renewing its lease: conditions set to Unknown")]
    private static partial void LogSilent(ILogger logger, string node);

    [LoggerMessage(EventId = 5702, Level = LogLevel.Information, Message = "node {Node}: taints now [{Taints}]")]
    private static partial void LogTaints(ILogger logger, string node, string taints);
}
