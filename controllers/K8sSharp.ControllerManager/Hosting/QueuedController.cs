using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Controllers;
using K8sSharp.Client.Informers;
using K8sSharp.Client.WorkQueues;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// The sample-controller shape shared by every controller here: informer handlers put keys on one
/// <see cref="WorkQueue"/>, workers take them and call <see cref="ReconcileAsync"/>, which reads the current state from
/// listers and converges it. A throwing reconcile is retried with the key's exponential backoff.
/// </summary>
internal abstract class QueuedController : IController
{
    protected QueuedController(TimeProvider time, ILogger logger)
    {
        Time = time;
        Logger = logger;
        Queue = new WorkQueue(time);
    }

    public abstract string Name { get; }

    /// <summary>Exposed so tests can see what the handlers enqueued and drive reconciles by hand.</summary>
    public WorkQueue Queue { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>The current time at metav1.Time's precision (whole seconds), for timestamps written into objects.</summary>
    protected DateTime NowInSeconds()
    {
        var now = Time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    public abstract void Register(SharedInformerFactory informers);

    /// <summary>Converges the object named by <paramref name="key"/>; throws to be retried with backoff.</summary>
    public abstract Task ReconcileAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// For controllers keyed by their own objects: every object the informer adds, updates or deletes is enqueued
    /// by its key (namespace/name, or name when cluster-scoped); a reconcile of a deleted key finds nothing and cleans up.
    /// </summary>
    protected void EnqueueOnEveryChange<T>(Informer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        informer.AddEventHandler(new ResourceEventHandler<T>
        {
            OnAdd = obj => Queue.Add(ObjectKeys.For(obj)),
            OnUpdate = (_, obj) => Queue.Add(ObjectKeys.For(obj)),
            OnDelete = obj => Queue.Add(ObjectKeys.For(obj)),
        });
    }

    /// <summary>
    /// Calls <paramref name="handle"/> for every object the informer adds, changes or deletes (with the new state);
    /// periodic resyncs, which deliver an update with the same resourceVersion, are skipped.
    /// </summary>
    protected static void OnEveryChange<T>(Informer<T> informer, Action<T> handle)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        informer.AddEventHandler(new ResourceEventHandler<T>
        {
            OnAdd = handle,
            OnUpdate = (old, obj) =>
            {
                if (old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
                {
                    handle(obj);
                }
            },
            OnDelete = handle,
        });
    }

    /// <summary>
    /// For controllers keyed by namespace: every namespace added or updated is enqueued by name. Returns the
    /// namespace lister the reconcile reads from.
    /// </summary>
    protected Lister<V1Namespace> EnqueueNamespaces(SharedInformerFactory informers, IKubernetes client)
    {
        var informer = informers.GetOrAdd(() => ListWatchers.For<V1Namespace>(client));
        informer.AddEventHandler(new ResourceEventHandler<V1Namespace>
        {
            OnAdd = ns => Queue.Add(ns.Metadata.Name),
            OnUpdate = (_, ns) => Queue.Add(ns.Metadata.Name),
        });
        return informer.Lister;
    }

    public virtual Task RunAsync(int workers, CancellationToken cancellationToken) =>
        ControllerRunner.RunWorkersAsync(Queue, workers, ReconcileAsync, Logger, cancellationToken);
}
