using k8s;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.Scheduler.Cache;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Queue;
using K8sSharp.Scheduler.Scheduling;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Scheduler.Hosting;

/// <summary>
/// What runs while this process leads: a fresh informer factory, cache and queue per term (nothing survives a lost
/// lease), the event handlers, and, once the informers synced, the scheduling loop and the queue's flushes.
/// </summary>
internal sealed class SchedulerRuntime(IKubernetes client, string schedulerName, SchedulerMetrics metrics, TimeProvider time, ILoggerFactory loggers)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(time: time, loggerFactory: loggers);
        await using var events = new EventRecorder(client, schedulerName, time: time, logger: loggers.CreateLogger<EventRecorder>());
        using var scheduler = Create(informers, client, schedulerName, new KubernetesSchedulerApi(client, events), metrics, time, loggers.CreateLogger<Scheduling.Scheduler>(), out var queue);
        using var disposeQueue = queue;
        informers.Start();
        if (!await informers.WaitForCacheSyncAsync(cancellationToken))
        {
            return;
        }
        await Task.WhenAll(queue.RunFlushesAsync(cancellationToken), scheduler.RunAsync(cancellationToken));
    }

    /// <summary>Wires a scheduler to the informers of <paramref name="informers"/> (also used by the end-to-end tests).</summary>
    public static Scheduling.Scheduler Create(SharedInformerFactory informers, IKubernetes client, string schedulerName, ISchedulerApi api, SchedulerMetrics metrics,
        TimeProvider time, ILogger logger, out SchedulingQueue queue)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var cache = new SchedulerCache();
        queue = new SchedulingQueue(time);
        new ClusterEventHandlers(cache, queue, schedulerName).Register(informers, client);
        var volumes = new ListerVolumeLookup(
            informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolumeClaim>(client)).Lister,
            informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolume>(client)).Lister,
            informers.GetOrAdd(() => ListWatchers.For<V1StorageClass>(client)).Lister);
        var spread = new DefaultSpreadSelector(
            informers.GetOrAdd(() => ListWatchers.For<V1Service>(client)).Lister,
            informers.GetOrAdd(() => ListWatchers.For<V1ReplicaSet>(client)).Lister,
            informers.GetOrAdd(() => ListWatchers.For<V1StatefulSet>(client)).Lister);
        var budgets = informers.GetOrAdd(() => ListWatchers.For<V1PodDisruptionBudget>(client)).Lister;
        return new Scheduling.Scheduler(cache, queue, new Profile(volumes, spread.For, schedulerName, ns => budgets.List(ns)), api, metrics, time, logger);
    }
}
