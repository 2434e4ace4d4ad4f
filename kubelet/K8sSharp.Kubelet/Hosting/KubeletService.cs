using k8s;
using k8s.Models;
using K8sSharp.Client.Controllers;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.Kubelet.Logs;
using K8sSharp.Kubelet.Network;
using K8sSharp.Kubelet.Nodes;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Probes;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Server;
using K8sSharp.Kubelet.Status;
using K8sSharp.Kubelet.Volumes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Hosting;

/// <summary>
/// Wires the kubelet together and runs it: the node agent (registration, status, lease), the informers (this node's
/// pods; ConfigMaps, Secrets and Services for env and volumes), docker's event stream, and the pod workers that run
/// <see cref="PodSyncer"/> per pod key.
/// </summary>
internal sealed partial class KubeletService(KubeletOptions options, NodePods serverPods, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger("K8sSharp.Kubelet");
        var config = K8sSharp.Client.Configuration.Kubeconfig.Load(options.Kubeconfig);
        using var client = K8sSharp.Client.ComponentClient.Create(config, "kubelet");
        using var docker = DockerRuntime.Connect(options.DockerEndpoint, options.NodeName);
        var paths = new PodPaths(options.RootDir, options.PodLogDir);
        Directory.CreateDirectory(paths.PodsDir);
        var machine = MachineInfo.Detect(paths.RootDir) with { Hostname = options.NodeName }; // --node-name is also the hostname, as --hostname-override
        await using var recorder = new EventRecorder(client, "kubelet", options.NodeName, time, loggers.CreateLogger<EventRecorder>());
        var podEvents = new RecordedPodEvents(recorder);
        var network = new PodNetwork(new ProcessRunner(), options.CniBinDir, options.CniBridge, Path.Combine(paths.RootDir, "cni"), loggers.CreateLogger<PodNetwork>());
        // The Node first: registration is on the path to a Ready node (the controller-manager gives it a podCIDR only
        // once it exists), the informers' initial lists are not, and on 2 cores at start-up they compete for CPU.
        var agent = new NodeAgent(client, options.NodeName, options.Port, machine, ct => RuntimeHealthAsync(docker, ct), network,
            new RecordedNodeEvents(recorder), time, loggers.CreateLogger<NodeAgent>());
        LogStarting(logger, options.NodeName, config.Host, machine.InternalIp);
        var agentTask = agent.RunAsync(stoppingToken);
        await using var informers = new SharedInformerFactory(time: time, loggerFactory: loggers);
        var pods = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client, new ListScope(FieldSelector: $"spec.nodeName={options.NodeName}")));
        serverPods.Attach(pods.Lister);
        var configMaps = informers.GetOrAdd(() => ListWatchers.For<V1ConfigMap>(client));
        var secrets = informers.GetOrAdd(() => ListWatchers.For<V1Secret>(client));
        var objects = new ListerObjectSource(configMaps.Lister, secrets.Lister, informers.GetOrAdd(() => ListWatchers.For<V1Service>(client)).Lister);
        var workers = new PodWorkers(docker, time, loggers.CreateLogger<PodWorkers>());
        using var http = Handlers.CreateHttpClient();
        var handlers = new Handlers(docker, http);
        using var probes = new ProbeManager(handlers, podEvents, time, loggers.CreateLogger<ProbeManager>(), workers.Queue.Add);
        using var logs = new ContainerLogCopier(docker.Client, loggers.CreateLogger<ContainerLogCopier>());
        var node = new NodeContext
        {
            NodeName = options.NodeName,
            HostIp = machine.InternalIp,
            ClusterDns = options.ClusterDns,
            ClusterDomain = options.ClusterDomain,
            Allocatable = NodeStatusBuilder.Allocatable(machine),
            HostResolvConf = ResolvConf.Parse(File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", stoppingToken) : ""),
        };
        var volumes = new VolumeManager(client, objects, paths, new ServiceAccountTokens(client, time), time);
        var syncer = new PodSyncer(new PodSyncerDependencies(
            client, pods.Lister, docker, network, volumes, objects, probes, handlers,
            new StatusManager(client, loggers.CreateLogger<StatusManager>()), podEvents, logs, paths, node, time, loggers.CreateLogger<PodSyncer>()));
        using var reclaimer = new LocalPathReclaimer(client, options.NodeName, options.LocalPathDir, loggers.CreateLogger<LocalPathReclaimer>());
        workers.Register(pods);
        workers.RegisterVolumeSources(configMaps, secrets, pods.Lister);
        reclaimer.Register(informers);
        informers.Start();
        if (!await informers.WaitForCacheSyncAsync(stoppingToken))
        {
            return;
        }
        await workers.EnqueueRuntimePodsAsync(stoppingToken);
        var eventsTask = workers.WatchRuntimeEventsAsync(stoppingToken);
        var reclaimTask = reclaimer.RunAsync(stoppingToken);
        // One reconcile per pod at a time, any number of pods at once (upstream's pod workers): a fixed pool let the
        // clean-up of ten force-deleted pods (2 s stop each) hold a new pod's start back for seconds.
        await ControllerRunner.RunPerKeyAsync(workers.Queue, async (key, ct) =>
        {
            if (await syncer.SyncAsync(key, ct) is { } next)
            {
                workers.Queue.AddAfter(key, next);
            }
        }, logger, stoppingToken);
        await Task.WhenAll(IgnoreCancellation(agentTask), IgnoreCancellation(eventsTask), IgnoreCancellation(reclaimTask));
    }

    private static async Task<NodeHealth> RuntimeHealthAsync(DockerRuntime docker, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Client.System.PingAsync(cancellationToken);
            return new NodeHealth(true, false, null);
        }
        catch (Exception e) when (e is HttpRequestException or Docker.DotNet.DockerApiException or IOException or TimeoutException)
        {
            return new NodeHealth(false, false, e.Message);
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "kubelet for node {Node} starting against {Server}; node IP {Ip}")]
    private static partial void LogStarting(ILogger logger, string node, string server, string ip);
}
