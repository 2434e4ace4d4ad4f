using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.NodeIpam;

/// <summary>
/// Gives every Node a pod subnet (upstream pkg/controller/nodeipam, the RangeAllocator): <c>spec.podCIDR</c> and
/// <c>spec.podCIDRs</c> get the next free <c>/node-cidr-mask-size</c> block of <c>--cluster-cidr</c>. Blocks already
/// on Nodes are taken from the cache before the first allocation (so a restart never hands out a block twice), a
/// deleted Node's block is released, and when none is left the Node gets the event CIDRNotAvailable and is retried
/// with backoff. Keys are Node names.
/// </summary>
internal sealed partial class NodeIpamController : QueuedController
{
    private readonly IKubernetes client;
    private readonly CidrSet cidrs;
    private readonly IEventRecorder events;
    private readonly Lock gate = new();
    private readonly Dictionary<string, (string? Uid, List<string> Cidrs)> byNode = new(StringComparer.Ordinal);
    private Lister<V1Node> nodes = null!;
    private bool occupiedFromCache;

    public NodeIpamController(IKubernetes client, CidrSet cidrs, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.cidrs = cidrs;
        this.events = events;
    }

    public override string Name => "nodeipam";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var informer = informers.GetOrAdd(() => ListWatchers.For<V1Node>(client));
        nodes = informer.Lister;
        EnqueueOnEveryChange(informer);
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        OccupyFromCacheOnce();
        var node = nodes.Get(null, key);
        if (node is null)
        {
            Forget(key);
            return;
        }
        if (Assigned(node) is { Count: > 0 } assigned)
        {
            Record(node, assigned);
            return;
        }
        if (AlreadyPatched(node))
        {
            return; // our patch is not in the cache yet; its update event brings the Node back here
        }
        if (cidrs.Allocate() is not { } cidr)
        {
            events.Event(node, EventTypes.Normal, "CIDRNotAvailable", $"Node {key} status is now: CIDRNotAvailable");
            throw new InvalidOperationException($"node {key}: no pod CIDR left in the cluster CIDR ({cidrs.Capacity} blocks, all taken)");
        }
        try
        {
            await PatchAsync(node, cidr, cancellationToken);
        }
        catch (Exception)
        {
            cidrs.Release(cidr);
            throw;
        }
        Record(node, [cidr]);
        LogAllocated(Logger, key, cidr);
    }

    /// <summary>Sets both fields at once; the uid makes a recreated Node of the same name a conflict, not a victim.</summary>
    private async Task PatchAsync(V1Node node, string cidr, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["uid"] = node.Metadata.Uid },
            ["spec"] = new JsonObject { ["podCIDR"] = cidr, ["podCIDRs"] = new JsonArray(cidr) },
        };
        await client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), node.Metadata.Name, cancellationToken: cancellationToken);
    }

    /// <summary>Upstream lists the Nodes before it starts; here the synced cache is read before the first allocation.</summary>
    private void OccupyFromCacheOnce()
    {
        lock (gate)
        {
            if (occupiedFromCache)
            {
                return;
            }
            foreach (var node in nodes.List())
            {
                RecordLocked(node, Assigned(node));
            }
            occupiedFromCache = true;
        }
    }

    private static IList<string> Assigned(V1Node node) =>
        node.Spec?.PodCIDRs is { Count: > 0 } list ? list : string.IsNullOrEmpty(node.Spec?.PodCIDR) ? [] : [node.Spec.PodCIDR];

    /// <summary>
    /// True when this very Node (same uid) already got a block from us. A block recorded for an earlier Node of the
    /// same name is released: that Node was deleted and recreated between two syncs.
    /// </summary>
    private bool AlreadyPatched(V1Node node)
    {
        lock (gate)
        {
            if (!byNode.TryGetValue(node.Metadata.Name, out var entry))
            {
                return false;
            }
            if (entry.Uid == node.Metadata.Uid)
            {
                return true;
            }
        }
        Forget(node.Metadata.Name);
        return false;
    }

    private void Record(V1Node node, IList<string> assigned)
    {
        lock (gate)
        {
            RecordLocked(node, assigned);
        }
    }

    private void RecordLocked(V1Node node, IList<string> assigned)
    {
        var inRange = assigned.Where(cidrs.Occupy).ToList();
        if (inRange.Count > 0)
        {
            byNode[node.Metadata.Name] = (node.Metadata.Uid, inRange);
        }
    }

    private void Forget(string nodeName)
    {
        lock (gate)
        {
            if (byNode.Remove(nodeName, out var released))
            {
                released.Cidrs.ForEach(c => cidrs.Release(c));
                LogReleased(Logger, nodeName, string.Join(",", released.Cidrs));
            }
        }
    }

    [LoggerMessage(EventId = 5601, Level = LogLevel.Information, Message = "node {Node}: allocated pod CIDR {Cidr}")]
    private static partial void LogAllocated(ILogger logger, string node, string cidr);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Information, Message = "node {Node} is gone: released pod CIDR {Cidr}")]
    private static partial void LogReleased(ILogger logger, string node, string cidr);
}
