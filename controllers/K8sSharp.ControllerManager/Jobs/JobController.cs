using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>
/// Runs Jobs to completion (upstream pkg/controller/job). Keys are <c>namespace/name</c> of Jobs, or
/// <c>orphan-pod:namespace/name</c> for a pod that carries the tracking finalizer but whose Job is gone or finished
/// (upstream's separate orphan queue). Pods are created with the tracking finalizer; a finished pod's outcome is first
/// written to status.uncountedTerminatedPods, then its finalizer is removed, then it is moved into the counters, so
/// succeeded/failed are exact even when pods vanish. This file: informers and event handlers; the sync is in
/// JobController.Sync.cs, pod creation/deletion in .Manage.cs, status tracking in .Tracking.cs.
/// </summary>
internal sealed partial class JobController : QueuedController
{
    public const string OrphanPodPrefix = "orphan-pod:";

    private readonly IJobWrites writes;
    private readonly IEventRecorder events;
    private readonly ControllerExpectations expectations;
    private readonly FinalizerExpectations finalizerExpectations = new();
    private readonly BackoffRecords backoffs = new();
    private Lister<V1Job> jobs = null!;
    private Lister<V1Pod> pods = null!;

    public JobController(IJobWrites writes, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.writes = writes;
        this.events = events;
        expectations = new ControllerExpectations(time);
    }

    public JobController(IKubernetes client, IEventRecorder events, TimeProvider time, ILogger logger)
        : this(new KubernetesJobWrites(client), events, time, logger)
    {
        Client = client;
    }

    public override string Name => "job";

    internal ControllerExpectations Expectations => expectations;

    internal BackoffRecords Backoffs => backoffs;

    private IKubernetes? Client { get; }

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var client = Client ?? throw new InvalidOperationException("Register needs the client constructor");
        var jobInformer = informers.GetOrAdd(() => ListWatchers.For<V1Job>(client));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        UseListers(jobInformer.Lister, podInformer.Lister);
        jobInformer.AddEventHandler(new ResourceEventHandler<V1Job>
        {
            OnAdd = job => Queue.Add(ObjectKeys.For(job)),
            OnUpdate = (_, job) => Queue.Add(ObjectKeys.For(job)),
            OnDelete = OnJobDeleted,
        });
        podInformer.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = OnPodAdded,
            OnUpdate = OnPodUpdated,
            OnDelete = OnPodDeleted,
        });
    }

    /// <summary>The caches the sync reads; tests pass listers over preloaded indexers.</summary>
    internal void UseListers(Lister<V1Job> jobLister, Lister<V1Pod> podLister)
    {
        jobs = jobLister;
        pods = podLister;
    }

    /// <summary>Pods of a deleted Job may still hold the tracking finalizer: release them.</summary>
    private void OnJobDeleted(V1Job job)
    {
        var key = ObjectKeys.For(job);
        expectations.Delete(key);
        Queue.Add(key);
        foreach (var pod in pods.List(job.Metadata.NamespaceProperty))
        {
            if (Pods.ControllerOf(pod.Metadata)?.Uid == job.Metadata.Uid && JobPods.HasTrackingFinalizer(pod))
            {
                Queue.Add(OrphanPodPrefix + Pods.Key(pod));
            }
        }
    }

    internal void OnPodAdded(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // Seen for the first time already terminating (e.g. after a restart): a deletion to observe.
            OnPodDeleted(pod);
            return;
        }
        if (Pods.ControllerOf(pod.Metadata) is { } owner)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, owner) is { } job)
            {
                var key = ObjectKeys.For(job);
                expectations.CreationObserved(key);
                Queue.Add(key);
            }
            else
            {
                EnqueueOrphanWithFinalizer(pod);
            }
            return;
        }
        EnqueueOrphanWithFinalizer(pod);
        EnqueueMatching(pod);
    }

    internal void OnPodUpdated(V1Pod old, V1Pod pod)
    {
        if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
        {
            return; // periodic resync: nothing changed
        }
        var oldOwner = Pods.ControllerOf(old.Metadata);
        var owner = Pods.ControllerOf(pod.Metadata);
        if (oldOwner is not null && oldOwner.Uid != owner?.Uid && Resolve(old.Metadata.NamespaceProperty, oldOwner) is { } previous)
        {
            Queue.Add(ObjectKeys.For(previous));
        }
        if (owner is null)
        {
            EnqueueOrphanWithFinalizer(pod);
            EnqueueMatching(pod);
            return;
        }
        if (Resolve(pod.Metadata.NamespaceProperty, owner) is not { } job)
        {
            EnqueueOrphanWithFinalizer(pod);
            return;
        }
        var key = ObjectKeys.For(job);
        if (JobPods.HasTrackingFinalizer(old) && !JobPods.HasTrackingFinalizer(pod))
        {
            finalizerExpectations.Observed(key, pod.Metadata.Uid);
        }
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            expectations.DeletionObserved(key, Pods.Key(pod));
        }
        Queue.Add(key);
    }

    internal void OnPodDeleted(V1Pod pod)
    {
        if (Pods.ControllerOf(pod.Metadata) is { } owner && Resolve(pod.Metadata.NamespaceProperty, owner) is { } job)
        {
            var key = ObjectKeys.For(job);
            expectations.DeletionObserved(key, Pods.Key(pod));
            if (pods.Get(pod.Metadata.NamespaceProperty, pod.Metadata.Name) is null)
            {
                finalizerExpectations.Observed(key, pod.Metadata.Uid); // gone: no update of it is coming
            }
            Queue.Add(key);
        }
    }

    private void EnqueueOrphanWithFinalizer(V1Pod pod)
    {
        if (JobPods.HasTrackingFinalizer(pod))
        {
            Queue.Add(OrphanPodPrefix + Pods.Key(pod));
        }
    }

    /// <summary>An orphan: every Job that selects it may adopt it.</summary>
    private void EnqueueMatching(V1Pod pod)
    {
        foreach (var job in jobs.List(pod.Metadata.NamespaceProperty))
        {
            if (job.Spec?.Selector is { } selector && LabelSelectors.Matches(selector, pod.Metadata.Labels))
            {
                Queue.Add(ObjectKeys.For(job));
            }
        }
    }

    private V1Job? Resolve(string ns, V1OwnerReference owner) => ControllerRefs.Resolve(jobs, ns, owner, "Job", "batch");

    internal static V1OwnerReference OwnerReference(V1Job job) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Name = job.Metadata.Name,
        Uid = job.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
