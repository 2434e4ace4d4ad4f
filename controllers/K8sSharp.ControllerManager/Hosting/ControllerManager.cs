using k8s;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Deployments;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.ReplicationControllers;
using K8sSharp.ControllerManager.RootCa;
using K8sSharp.ControllerManager.ServiceAccounts;
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

    public ControllerManager(IKubernetes client, string caBundle, TimeProvider time, ILoggerFactory loggers)
    {
        this.client = client;
        this.caBundle = caBundle;
        this.time = time;
        this.loggers = loggers;
    }

    /// <summary>The controllers with their worker counts (upstream's --concurrent-* defaults).</summary>
    public IReadOnlyList<(IController Controller, int Workers)> CreateControllers() =>
    [
        (new ServiceAccountsController(client, time, loggers.CreateLogger<ServiceAccountsController>()), 1),
        (new RootCaPublisher(client, caBundle, time, loggers.CreateLogger<RootCaPublisher>()), 1),
        (new ReplicaSetController(client, time, loggers.CreateLogger<ReplicaSetController>()), 5),
        (new ReplicaSetController(client, new ReplicationControllerSource(client), time, loggers.CreateLogger("K8sSharp.ControllerManager.ReplicationControllers")), 5),
        (new DeploymentController(client, Recorder("deployment-controller"), time, loggers.CreateLogger<DeploymentController>()), 5),
    ];

    /// <summary>An event recorder under upstream's component name; it lives as long as the process (one per term).</summary>
    private EventRecorder Recorder(string component) =>
        new(client, component, time: time, logger: loggers.CreateLogger<EventRecorder>());

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(time: time, loggerFactory: loggers);
        var controllers = CreateControllers();
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
}
