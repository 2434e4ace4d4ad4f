using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Kubelet.Network;
using K8sSharp.Kubelet.Pods;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Nodes;

/// <summary>
/// The node half of the kubelet: registers the Node (or adopts an existing one, updating its labels), then every
/// 10 s reads spec.podCIDR (configuring the pod network once it is set; until then the node is NotReady and a line is
/// logged), and writes the node status with fresh heartbeats. Until the node is first Ready (for at most 2 minutes
/// after start) it does so every 100 ms instead (upstream's fastStatusUpdateOnce), so a new node turns Ready as soon
/// as the controller-manager gives it a podCIDR rather than on the next 10 s tick. The Lease kube-node-lease/&lt;node&gt; is renewed every
/// 10 s (duration 40 s), owned by the Node so it goes with it.
/// </summary>
internal sealed partial class NodeAgent(
    IKubernetes client, string nodeName, int port, MachineInfo machine, Func<CancellationToken, Task<NodeHealth>> runtimeHealth,
    PodNetwork network, IPodEventsForNode events, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan StatusPeriod = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LeaseRenewPeriod = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan FastStatusPeriod = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan NodeReadyGracePeriod = TimeSpan.FromMinutes(2);
    public const int LeaseDurationSeconds = 40;

    private bool wasReady;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var node = await RegisterAsync(cancellationToken);
        await Task.WhenAll(StatusLoopAsync(node, cancellationToken), LeaseLoopAsync(node, cancellationToken));
    }

    private async Task<V1Node> RegisterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var node = await client.CoreV1.CreateNodeAsync(NodeStatusBuilder.NewNode(nodeName, machine), cancellationToken: cancellationToken);
                LogRegistered(logger, nodeName);
                events.Emit(node, EventTypes.Normal, Reasons.Starting, "Starting kubelet.");
                return node;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                var labels = KubernetesJson.Serialize(new { metadata = new { labels = NodeStatusBuilder.Labels(nodeName) } });
                events.Emit(await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken), EventTypes.Normal, Reasons.Starting, "Starting kubelet.");
                return await client.CoreV1.PatchNodeAsync(new V1Patch(labels, V1Patch.PatchType.MergePatch), nodeName, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException)
            {
                LogRetry(logger, "registering the node", e);
                await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken);
            }
        }
    }

    private async Task StatusLoopAsync(V1Node node, CancellationToken cancellationToken)
    {
        var loggedMissingCidr = false;
        var started = time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                node = await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken);
                var cidr = node.Spec?.PodCIDR;
                if (!string.IsNullOrEmpty(cidr))
                {
                    await network.ConfigureAsync(cidr, cancellationToken);
                }
                else if (!loggedMissingCidr)
                {
                    LogNoPodCidr(logger, nodeName);
                    loggedMissingCidr = true;
                }
                var health = (await runtimeHealth(cancellationToken)) with { NetworkReady = network.Ready };
                var status = NodeStatusBuilder.Status(machine, port, health, node.Status?.Conditions, time.GetUtcNow().UtcDateTime);
                var patch = KubernetesJson.Serialize(new { status });
                node = await client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), nodeName, cancellationToken: cancellationToken);
                var ready = health.RuntimeUp && health.NetworkReady;
                if (ready && !wasReady)
                {
                    events.Emit(node, EventTypes.Normal, Reasons.NodeReady, $"Node {nodeName} status is now: NodeReady");
                }
                wasReady = ready;
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or CniException)
            {
                LogRetry(logger, "updating the node status", e);
            }
            var fast = !wasReady && time.GetElapsedTime(started) < NodeReadyGracePeriod;
            await Task.Delay(fast ? FastStatusPeriod : StatusPeriod, time, cancellationToken);
        }
    }

    private async Task LeaseLoopAsync(V1Node node, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RenewLeaseAsync(node, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException)
            {
                LogRetry(logger, "renewing the node lease", e);
            }
            await Task.Delay(LeaseRenewPeriod, time, cancellationToken);
        }
    }

    private async Task RenewLeaseAsync(V1Node node, CancellationToken cancellationToken)
    {
        const string ns = "kube-node-lease";
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(nodeName, ns, cancellationToken: cancellationToken);
            lease.Spec.HolderIdentity = nodeName;
            lease.Spec.LeaseDurationSeconds = LeaseDurationSeconds;
            lease.Spec.RenewTime = now;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, nodeName, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            var lease = new V1Lease
            {
                Metadata = new V1ObjectMeta
                {
                    Name = nodeName,
                    NamespaceProperty = ns,
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = nodeName, Uid = node.Metadata.Uid }],
                },
                Spec = new V1LeaseSpec { HolderIdentity = nodeName, LeaseDurationSeconds = LeaseDurationSeconds, RenewTime = now },
            };
            await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, ns, cancellationToken: cancellationToken);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "registered node {Node}")]
    private static partial void LogRegistered(ILogger logger, string node);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "node {Node} has no spec.podCIDR yet: pods cannot get a network until it is set (by the node IPAM controller, or kubectl patch)")]
    private static partial void LogNoPodCidr(ILogger logger, string node);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "{What} failed; retrying")]
    private static partial void LogRetry(ILogger logger, string what, Exception exception);
}

/// <summary>Events about the Node object.</summary>
internal interface IPodEventsForNode
{
    void Emit(V1Node node, string type, string reason, string message);
}

internal sealed class RecordedNodeEvents(EventRecorder recorder) : IPodEventsForNode
{
    public void Emit(V1Node node, string type, string reason, string message) => recorder.Event(node, type, reason, message);
}
