using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.ReplicaSets;

/// <summary>
/// Keeps <c>spec.replicas</c> active pods per ReplicaSet (upstream pkg/controller/replicaset). Keys are
/// <c>namespace/name</c> of ReplicaSets. Pod events are mapped to the owning ReplicaSet (controller ownerReference,
/// matched by name and uid) or, for orphans, to every ReplicaSet whose selector matches, which then adopts them.
/// Creates and deletes are counted in <see cref="ControllerExpectations"/> until the informer reports them, and a
/// reconcile acts on the pod count only when nothing is in flight; status is written on every reconcile that changes it.
/// The same reconcile serves ReplicationControllers: the <see cref="IReplicaSetSource"/> presents them as ReplicaSets.
/// This file: informers and event handlers; the reconcile itself is in ReplicaSetController.Sync.cs.
/// </summary>
internal sealed partial class ReplicaSetController : QueuedController
{
    /// <summary>Upstream's BurstReplicas: at most this many creates or deletes per reconcile.</summary>
    public const int BurstReplicas = 500;

    private readonly IKubernetes client;
    private readonly ControllerExpectations expectations;
    private readonly IReplicaSetSource replicaSets;
    private readonly PodClaims claims;
    private Lister<V1Pod> pods = null!;

    public ReplicaSetController(IKubernetes client, TimeProvider time, ILogger logger)
        : this(client, new ReplicaSetSource(client), time, logger)
    {
    }

    /// <summary>The controller of another kind presented as ReplicaSets (the ReplicationController manager).</summary>
    public ReplicaSetController(IKubernetes client, IReplicaSetSource source, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        replicaSets = source;
        expectations = new ControllerExpectations(time);
        claims = new PodClaims(client, logger);
    }

    public override string Name => replicaSets.ControllerName;

    internal ControllerExpectations Expectations => expectations;

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        pods = podInformer.Lister;
        replicaSets.Register(informers, new ResourceEventHandler<V1ReplicaSet>
        {
            OnAdd = rs => Queue.Add(ObjectKeys.For(rs)),
            OnUpdate = (_, rs) => Queue.Add(ObjectKeys.For(rs)),
            OnDelete = rs =>
            {
                expectations.Delete(ObjectKeys.For(rs));
                Queue.Add(ObjectKeys.For(rs));
            },
        });
        podInformer.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = OnPodAdded,
            OnUpdate = OnPodUpdated,
            OnDelete = OnPodDeleted,
        });
    }

    private void OnPodAdded(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // Seen for the first time already terminating (e.g. after a restart): a deletion to observe.
            OnPodDeleted(pod);
            return;
        }
        if (Pods.ControllerOf(pod.Metadata) is { } owner)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, owner) is { } rs)
            {
                var key = ObjectKeys.For(rs);
                expectations.CreationObserved(key);
                Queue.Add(key);
            }
            return;
        }
        EnqueueMatching(pod);
    }

    private void OnPodUpdated(V1Pod old, V1Pod pod)
    {
        if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
        {
            return; // periodic resync: nothing changed
        }
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            OnPodDeleted(pod);
            return;
        }
        var oldOwner = Pods.ControllerOf(old.Metadata);
        var owner = Pods.ControllerOf(pod.Metadata);
        if (oldOwner is not null && oldOwner.Uid != owner?.Uid && Resolve(old.Metadata.NamespaceProperty, oldOwner) is { } previous)
        {
            Queue.Add(ObjectKeys.For(previous));
        }
        if (owner is not null)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, owner) is { } rs)
            {
                Queue.Add(ObjectKeys.For(rs));
                EnqueueWhenAvailable(rs, old, pod);
            }
            return;
        }
        EnqueueMatching(pod);
    }

    private void OnPodDeleted(V1Pod pod)
    {
        if (Pods.ControllerOf(pod.Metadata) is { } owner && Resolve(pod.Metadata.NamespaceProperty, owner) is { } rs)
        {
            var key = ObjectKeys.For(rs);
            expectations.DeletionObserved(key, Pods.Key(pod));
            Queue.Add(key);
        }
    }

    /// <summary>A pod that just became ready turns available minReadySeconds later; no event marks that moment.</summary>
    private void EnqueueWhenAvailable(V1ReplicaSet rs, V1Pod old, V1Pod pod)
    {
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        if (minReady > 0 && !Pods.IsReady(old) && Pods.IsReady(pod))
        {
            Queue.AddAfter(ObjectKeys.For(rs), TimeSpan.FromSeconds(minReady + 1));
        }
    }

    /// <summary>An orphan: every ReplicaSet that selects it may adopt it.</summary>
    private void EnqueueMatching(V1Pod pod)
    {
        foreach (var rs in replicaSets.List(pod.Metadata.NamespaceProperty))
        {
            if (LabelSelectors.Matches(rs.Spec?.Selector, pod.Metadata.Labels))
            {
                Queue.Add(ObjectKeys.For(rs));
            }
        }
    }

    private V1ReplicaSet? Resolve(string ns, V1OwnerReference owner) =>
        ControllerRefs.Resolve(owner, replicaSets.Kind, ControllerRefs.Group(replicaSets.ApiVersion), name => replicaSets.Get(ns, name));
}
