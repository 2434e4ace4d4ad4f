using System.Text.Json;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.LoadBalancer;

/// <summary>
/// Level-triggered writer of <see cref="ServiceLoadBalancer"/>'s status: after each proxy sync, every LoadBalancer
/// Service whose status.loadBalancer.ingress differs from this node's IPs gets a merge patch of its status subresource.
/// A failed write is logged and retried by the next sync (which the resulting watch event, or the period, brings).
/// </summary>
internal sealed partial class LoadBalancerStatusUpdater(
    IKubernetes client, Lister<V1Service> services, Func<IReadOnlyList<string>> nodeIps, ILogger<LoadBalancerStatusUpdater> logger)
{
    public async Task UpdateAsync(CancellationToken cancellationToken)
    {
        var ips = nodeIps();
        foreach (var service in services.List())
        {
            if (ServiceLoadBalancer.Desired(service, ips) is not { } desired || !ServiceLoadBalancer.NeedsUpdate(service, desired))
            {
                continue;
            }
            var patch = new { status = new { loadBalancer = new { ingress = desired.Select(i => new { ip = i.Ip, ipMode = i.IpMode }) } } };
            try
            {
                await client.CoreV1.PatchNamespacedServiceStatusAsync(
                    new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.MergePatch),
                    service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                LogProvisioned(logger, service.Metadata.NamespaceProperty, service.Metadata.Name, string.Join(',', ips));
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                LogFailed(logger, service.Metadata.NamespaceProperty, service.Metadata.Name, e.Response?.Content ?? e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 7501, Level = LogLevel.Information, Message = "load balancer {Namespace}/{Name}: ingress {Ips}")]
    private static partial void LogProvisioned(ILogger logger, string @namespace, string name, string ips);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Warning, Message = "load balancer {Namespace}/{Name}: status update failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string @namespace, string name, string error);
}
