using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.Dns;

/// <summary>
/// Makes the cluster DNS reachable as upstream's is: Service kube-system/kube-dns (cluster IP 10.96.0.10, ports dns
/// 53/UDP and dns-tcp 53/TCP, label k8s-app=kube-dns, no selector) and a selector-less EndpointSlice per node
/// (managed-by k8ssharp-proxy) pointing at the address and port this process's DNS server listens on; the ordinary
/// service rules then DNAT 10.96.0.10:53 to it. Level-triggered: each check compares the informers' copies with what
/// they should be and server-side applies (field manager k8ssharp-proxy) only what differs.
/// </summary>
internal sealed partial class KubeDnsRegistration(
    IKubernetes client, Lister<V1Service> services, Lister<V1EndpointSlice> slices, string nodeName, IPAddress clusterDns, ILogger<KubeDnsRegistration> logger)
{
    public const string Namespace = "kube-system";
    public const string ServiceName = "kube-dns";
    public const string FieldManager = "k8ssharp-proxy";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    public string SliceName => $"kube-dns-{nodeName}";

    /// <summary>Checks now and then every <paramref name="period"/>; failures are logged and retried next time.</summary>
    public async Task RunAsync(IPEndPoint dns, TimeSpan period, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await EnsureAsync(dns, cancellationToken);
                await Task.Delay(period, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async Task EnsureAsync(IPEndPoint dns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dns);
        if (!ServiceUpToDate(services.Get(Namespace, ServiceName), dns.Port))
        {
            await client.CoreV1.PatchNamespacedServiceAsync(Apply(ServiceManifest(dns.Port)), ServiceName, Namespace,
                fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
            LogApplied(logger, "Service", ServiceName);
        }
        if (!SliceUpToDate(slices.Get(Namespace, SliceName), dns))
        {
            await client.DiscoveryV1.PatchNamespacedEndpointSliceAsync(Apply(SliceManifest(dns)), SliceName, Namespace,
                fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
            LogApplied(logger, "EndpointSlice", SliceName);
        }
    }

    private bool ServiceUpToDate(V1Service? service, int port) =>
        service?.Spec?.ClusterIP == clusterDns.ToString()
        && service.Metadata.Labels?.TryGetValue("k8s-app", out var app) == true && app == "kube-dns"
        && service.Spec.Ports?.Count == 2
        && service.Spec.Ports.All(p => p.Port == 53 && p.TargetPort?.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private bool SliceUpToDate(V1EndpointSlice? slice, IPEndPoint dns) =>
        slice?.Endpoints is [{ Addresses: [var address] } endpoint] && address == dns.Address.ToString() && endpoint.NodeName == nodeName
        && slice.Metadata.Labels?.TryGetValue(ServiceModel.ServiceNameLabel, out var owner) == true && owner == ServiceName
        && slice.Ports?.Count == 2 && slice.Ports.All(p => p.Port == dns.Port);

    private object ServiceManifest(int port) => new
    {
        apiVersion = "v1",
        kind = "Service",
        metadata = new
        {
            name = ServiceName,
            @namespace = Namespace,
            labels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns", ["kubernetes.io/cluster-service"] = "true", ["kubernetes.io/name"] = "KubeDNS" },
        },
        spec = new
        {
            clusterIP = clusterDns.ToString(),
            ports = new[]
            {
                new { name = "dns", port = 53, protocol = "UDP", targetPort = port },
                new { name = "dns-tcp", port = 53, protocol = "TCP", targetPort = port },
            },
        },
    };

    private object SliceManifest(IPEndPoint dns) => new
    {
        apiVersion = "discovery.k8s.io/v1",
        kind = "EndpointSlice",
        metadata = new
        {
            name = SliceName,
            @namespace = Namespace,
            labels = new Dictionary<string, string> { [ServiceModel.ServiceNameLabel] = ServiceName, [ManagedByLabel] = FieldManager },
        },
        addressType = "IPv4",
        endpoints = new[] { new { addresses = new[] { dns.Address.ToString() }, conditions = new { ready = true }, nodeName } },
        ports = new[]
        {
            new { name = "dns", port = dns.Port, protocol = "UDP" },
            new { name = "dns-tcp", port = dns.Port, protocol = "TCP" },
        },
    };

    private static V1Patch Apply(object manifest) => new(JsonSerializer.Serialize(manifest), V1Patch.PatchType.ApplyPatch);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "applied {Kind} kube-system/{Name} for the cluster DNS")]
    private static partial void LogApplied(ILogger logger, string kind, string name);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "could not register the cluster DNS Service/EndpointSlice; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
