using k8s;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.CronJobs;
using K8sSharp.ControllerManager.DaemonSets;
using K8sSharp.ControllerManager.Deployments;
using K8sSharp.ControllerManager.Disruption;
using K8sSharp.ControllerManager.EndpointSlices;
using K8sSharp.ControllerManager.Endpoints;
using K8sSharp.ControllerManager.GarbageCollection;
using K8sSharp.ControllerManager.Jobs;
using K8sSharp.ControllerManager.Namespaces;
using K8sSharp.ControllerManager.NodeIpam;
using K8sSharp.ControllerManager.NodeLifecycle;
using K8sSharp.ControllerManager.PodAutoscaling;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.ResourceQuotas;
using K8sSharp.ControllerManager.ReplicationControllers;
using K8sSharp.ControllerManager.RootCa;
using K8sSharp.ControllerManager.ServiceAccounts;
using K8sSharp.ControllerManager.StatefulSets;
using K8sSharp.ControllerManager.TtlAfterFinished;
using K8sSharp.ControllerManager.Volumes;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// The controllers and the one shared informer factory they read from. <see cref="RunAsync"/> is what runs while
/// this process leads: register every controller's handlers, start the informers, wait for their first lists, then
/// run each controller's workers until leadership ends. A fresh factory per term, so nothing survives a lost lease.
/// </summary>
internal sealed class ControllerManager
{
    private readonly IKubernetes client;
    private readonly string caBundle;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ControllerManagerOptions options;

    public ControllerManager(IKubernetes client, string caBundle, ControllerManagerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        this.client = client;
        this.caBundle = caBundle;
        this.options = options;
        this.time = time;
        this.loggers = loggers;
    }

    /// <summary>
    /// The controllers with their worker counts (upstream's --concurrent-* defaults). <paramref name="recorderFor"/>
    /// gives the event recorder of a source component (upstream's names, e.g. job-controller).
    /// </summary>
    public IReadOnlyList<(IController Controller, int Workers)> CreateControllers(Func<string, IEventRecorder> recorderFor) =>
    [
        (new ServiceAccountsController(client, time, loggers.CreateLogger<ServiceAccountsController>()), 1),
        (new RootCaPublisher(client, caBundle, time, loggers.CreateLogger<RootCaPublisher>()), 1),
        (new ReplicaSetController(client, time, loggers.CreateLogger<ReplicaSetController>()), 5),
        (new ReplicaSetController(client, new ReplicationControllerSource(client), time, loggers.CreateLogger("K8sSharp.ControllerManager.ReplicationControllers")), 5),
        (new DeploymentController(client, recorderFor("deployment-controller"), time, loggers.CreateLogger<DeploymentController>()), 5),
        (new DaemonSetController(client, recorderFor("daemonset-controller"), time, loggers.CreateLogger<DaemonSetController>()), 2),
        (new StatefulSetController(client, recorderFor("statefulset-controller"), time, loggers.CreateLogger<StatefulSetController>()), 5),
        (new JobController(client, recorderFor("job-controller"), time, loggers.CreateLogger<JobController>()), 5),
        (new CronJobController(client, recorderFor("cronjob-controller"), time, loggers.CreateLogger<CronJobController>()), 5),
        (new TtlAfterFinishedController(client, time, loggers.CreateLogger<TtlAfterFinishedController>()), 5),
        (new EndpointSliceController(client, time, loggers.CreateLogger<EndpointSliceController>()), 5),
        (new EndpointsController(client, time, loggers.CreateLogger<EndpointsController>()), 5),
        (new NodeIpamController(client, new CidrSet(options.ClusterCidr, options.NodeCidrMaskSize), recorderFor("cidrAllocator"), time,
            loggers.CreateLogger<NodeIpamController>()), 1),
        (new NodeLifecycleController(client, recorderFor("node-controller"),
            new NodeHealthMonitor(options.NodeMonitorGracePeriod, options.NodeStartupGracePeriod), time, loggers.CreateLogger<NodeLifecycleController>()), 1),
        (new TaintEvictionController(client, recorderFor("taint-eviction-controller"), time, loggers.CreateLogger<TaintEvictionController>()), 1),
        (new NamespaceController(client, time, loggers.CreateLogger<NamespaceController>()), 10),
        (new GarbageCollector(client, time, loggers.CreateLogger<GarbageCollector>()), 20),
        (new DisruptionController(client, time, loggers.CreateLogger<DisruptionController>()), 1),
        (new HorizontalController(client, recorderFor("horizontal-pod-autoscaler"), options.Horizontal, time,
            loggers.CreateLogger<HorizontalController>()), 5),
        (new PersistentVolumeController(client, recorderFor("persistentvolume-controller"), time, loggers.CreateLogger<PersistentVolumeController>()), 1),
        (new LocalPathProvisioner(client, recorderFor(VolumeNames.LocalPathProvisioner), options.LocalPathDir, time, loggers.CreateLogger<LocalPathProvisioner>()), 1),
        (new ClaimProtectionController(client, time, loggers.CreateLogger<ClaimProtectionController>()), 1),
        (new VolumeProtectionController(client, time, loggers.CreateLogger<VolumeProtectionController>()), 1),
        (new ResourceQuotaController(client, options.ResourceQuotaSyncPeriod, time, loggers.CreateLogger<ResourceQuotaController>()), 5),
    ];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(time: time, loggerFactory: loggers);
        var recorders = new List<EventRecorder>();
        try
        {
            var controllers = CreateControllers(component =>
            {
                var recorder = new EventRecorder(client, component, Environment.MachineName, time, loggers.CreateLogger<EventRecorder>());
                recorders.Add(recorder);
                return recorder;
            });
            foreach (var (controller, _) in controllers)
            {
                controller.Register(informers);
            }
            informers.Start();
            if (!await informers.WaitForCacheSyncAsync(cancellationToken))
            {
                return;
            }
            await Task.WhenAll(controllers.Select(c => c.Controller.RunAsync(c.Workers, cancellationToken)));
        }
        finally
        {
            foreach (var recorder in recorders)
            {
                await recorder.DisposeAsync();
            }
        }
    }
}
