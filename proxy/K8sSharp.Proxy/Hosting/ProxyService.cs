using System.Net;
using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.Proxy.Conntrack;
using K8sSharp.Proxy.Dns;
using K8sSharp.Proxy.Health;
using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.LoadBalancer;
using K8sSharp.Proxy.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.Hosting;

/// <summary>
/// Wires the informers (Services, EndpointSlices, this Node) to the proxier's sync runner and the DNS server, and keeps
/// the kube-dns registration current. Every informer event queues a sync; the runner coalesces and rate-limits them.
/// </summary>
internal sealed partial class ProxyService(
    ProxyOptions options, ProxyHealth health, ProxyMetrics metrics, TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger("K8sSharp.Proxy");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFatal(logger, e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        Sysctls.Enable(logger);
        using var client = K8sSharp.Client.ComponentClient.Create(K8sSharp.Client.Configuration.Kubeconfig.Load(options.Kubeconfig), "kube-proxy");
        await using var informers = new SharedInformerFactory(time: time, loggerFactory: loggers);
        var services = informers.GetOrAdd(() => ListWatchers.For<V1Service>(client));
        var slices = informers.GetOrAdd(() => ListWatchers.For<V1EndpointSlice>(client));
        var nodes = informers.GetOrAdd(() => ListWatchers.For<V1Node>(client, new ListScope(FieldSelector: "metadata.name=" + options.HostnameOverride)));

        var commands = new CommandRunner();
        // Built once the caches have synced: the rules need this node's IP, which its Node object gives.
        Proxier? proxier = null;
        var loadBalancers = new LoadBalancerStatusUpdater(client, services.Lister,
            () => ServiceLoadBalancer.NodeIps(nodes.Lister.Get(null, options.HostnameOverride)), loggers.CreateLogger<LoadBalancerStatusUpdater>());
        var changes = new PendingChanges(metrics, time);
        using var serviceHealth = new ServiceHealthServer(health, loggers.CreateLogger<ServiceHealthServer>());
        async Task SyncAsync(CancellationToken cancellationToken)
        {
            // Taken before the caches are read; a failed sync loses its trigger times (as upstream's): it observes no latency.
            var triggerTimes = changes.Take();
            await proxier!.SyncAsync(cancellationToken);
            metrics.Programmed(triggerTimes, time.GetUtcNow());
            serviceHealth.Update(ServiceHealth.From(proxier.LastSynced, options.HostnameOverride));
            await loadBalancers.UpdateAsync(cancellationToken);
        }
        var runner = new SyncRunner(SyncAsync, options.MinSyncPeriod, options.SyncPeriod, time, loggers.CreateLogger<SyncRunner>());
        health.QueuedUpdate();
        Subscribe(services, runner, changes.ServiceChanged);
        Subscribe(slices, runner, changes.EndpointSliceChanged);
        nodes.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = n => health.NodeEligible = IsEligible(n),
            OnUpdate = (_, n) => health.NodeEligible = IsEligible(n),
        });
        informers.Start();
        if (!await informers.WaitForCacheSyncAsync(stoppingToken))
        {
            return;
        }

        var nodeIp = NodeAddress.Resolve(nodes.Lister.Get(null, options.HostnameOverride), options.BindAddress);
        var config = new ProxierConfig(options.HostnameOverride, options.ClusterCidr, options.ServiceCidr) { FullSyncPeriod = options.SyncPeriod, NodeIp = nodeIp };
        proxier = new Proxier(config, new IpTablesClient(commands), new ConntrackCleaner(commands, loggers.CreateLogger<ConntrackCleaner>()),
            () => ServiceModel.Build(services.Lister.List(), slices.Lister.List()), health, metrics, time, loggers.CreateLogger<Proxier>());
        var dnsEndpoint = new IPEndPoint(options.DnsBind.Address ?? nodeIp, options.DnsBind.Port);
        var zone = new ClusterZone(options.ClusterDomain, services.Lister, slices.Lister, (uint)time.GetUtcNow().ToUnixTimeSeconds());
        var upstreams = UpstreamResolvers.FromResolvConf(await File.ReadAllTextAsync(options.ResolvConf, stoppingToken), [options.ClusterDns, dnsEndpoint.Address]);
        using var dns = new DnsServer(dnsEndpoint, new DnsHandler(zone, new DnsForwarder(upstreams, TimeSpan.FromSeconds(2))), loggers.CreateLogger<DnsServer>());
        dns.Bind();
        var registration = new KubeDnsRegistration(client, services.Lister, slices.Lister, options.HostnameOverride, options.ClusterDns, loggers.CreateLogger<KubeDnsRegistration>());
        LogStarted(logger, options.HostnameOverride, nodeIp, config.ClusterCidr);
        await Task.WhenAll(
            runner.RunAsync(stoppingToken),
            dns.RunAsync(stoppingToken),
            registration.RunAsync(dnsEndpoint, options.SyncPeriod, time, stoppingToken));
    }

    /// <summary>Every event queues a sync; <paramref name="changed"/> hears of real changes (an update that leaves the
    /// resourceVersion as it was, a relist's replay, is none).</summary>
    private void Subscribe<T>(Informer<T> informer, SyncRunner runner, Action<T> changed)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        void Changed(T? obj)
        {
            if (obj is not null)
            {
                changed(obj);
            }
            health.QueuedUpdate();
            runner.Request();
        }
        informer.AddEventHandler(new ResourceEventHandler<T>
        {
            OnAdd = Changed,
            OnUpdate = (old, now) => Changed(old.Metadata.ResourceVersion == now.Metadata.ResourceVersion ? null : now),
            OnDelete = Changed,
        });
    }

    /// <summary>A node being deleted (or marked for deletion by the cluster autoscaler) should stop taking traffic.</summary>
    private static bool IsEligible(V1Node node) =>
        node.Metadata.DeletionTimestamp is null
        && !(node.Spec?.Taints ?? []).Any(t => t.Key == "ToBeDeletedByClusterAutoscaler");

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "proxying for node {Node} (IP {NodeIp}, cluster CIDR {ClusterCidr})")]
    private static partial void LogStarted(ILogger logger, string node, IPAddress nodeIp, string clusterCidr);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Critical, Message = "k8ssharp-proxy failed")]
    private static partial void LogFatal(ILogger logger, Exception exception);
}
