using k8s;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.DaemonSets;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.RootCa;
using K8sSharp.ControllerManager.ServiceAccounts;
using K8sSharp.ControllerManager.StatefulSets;
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
    private readonly List<EventRecorder> recorders = [];

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
        (new DaemonSetController(client, Recorder("daemonset-controller"), time, loggers.CreateLogger<DaemonSetController>()), 2),
        (new StatefulSetController(client, Recorder("statefulset-controller"), time, loggers.CreateLogger<StatefulSetController>()), 5),
    ];

    /// <summary>An event recorder with upstream's component name; disposed (flushed) when the term ends.</summary>
    private EventRecorder Recorder(string component)
    {
        var recorder = new EventRecorder(client, component, time: time, logger: loggers.CreateLogger<EventRecorder>());
        lock (recorders)
        {
            recorders.Add(recorder);
        }
        return recorder;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(time: time, loggerFactory: loggers);
        var controllers = CreateControllers();
        try
        {
            await RunControllersAsync(informers, controllers, cancellationToken);
        }
        finally
        {
            foreach (var recorder in recorders)
            {
                await recorder.DisposeAsync();
            }
            recorders.Clear();
        }
    }

    private static async Task RunControllersAsync(
        SharedInformerFactory informers, IReadOnlyList<(IController Controller, int Workers)> controllers, CancellationToken cancellationToken)
    {
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
