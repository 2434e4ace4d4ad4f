using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>
/// Rolls Deployments out through ReplicaSets (upstream pkg/controller/deployment). Keys are <c>namespace/name</c> of
/// Deployments. ReplicaSet events map to the controlling Deployment (or, for orphans, to every Deployment selecting
/// them); pod deletions wake Recreate deployments waiting for old pods to go. The ReplicaSets it owns are named
/// <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>; the ReplicaSet controller creates their pods.
/// This file: informers and handlers; the reconcile is in the other DeploymentController.*.cs files.
/// </summary>
internal sealed partial class DeploymentController : QueuedController
{
    private readonly IKubernetes client;
    private readonly IEventRecorder events;
    private Lister<V1Deployment> deployments = null!;
    private Lister<V1ReplicaSet> replicaSets = null!;
    private Lister<V1Pod> pods = null!;

    public DeploymentController(IKubernetes client, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.events = events;
    }

    public override string Name => "deployment";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var deploymentInformer = informers.GetOrAdd(() => ListWatchers.For<V1Deployment>(client));
        var rsInformer = informers.GetOrAdd(() => ListWatchers.For<V1ReplicaSet>(client));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        deployments = deploymentInformer.Lister;
        replicaSets = rsInformer.Lister;
        pods = podInformer.Lister;
        EnqueueOnEveryChange(deploymentInformer);
        rsInformer.AddEventHandler(new ResourceEventHandler<V1ReplicaSet>
        {
            OnAdd = EnqueueOwnerOrSelectors,
            OnUpdate = OnReplicaSetUpdated,
            OnDelete = rs => EnqueueOwner(rs),
        });
        podInformer.AddEventHandler(new ResourceEventHandler<V1Pod> { OnDelete = OnPodDeleted });
    }

    private void OnReplicaSetUpdated(V1ReplicaSet old, V1ReplicaSet rs)
    {
        if (old.Metadata.ResourceVersion == rs.Metadata.ResourceVersion)
        {
            return;
        }
        var oldOwner = Pods.ControllerOf(old.Metadata);
        if (oldOwner is not null && oldOwner.Uid != Pods.ControllerOf(rs.Metadata)?.Uid)
        {
            EnqueueOwner(old);
        }
        EnqueueOwnerOrSelectors(rs);
    }

    /// <summary>The controlling Deployment, or for an orphan every Deployment that selects it (and may adopt it).</summary>
    private void EnqueueOwnerOrSelectors(V1ReplicaSet rs)
    {
        if (Pods.ControllerOf(rs.Metadata) is not null)
        {
            EnqueueOwner(rs);
            return;
        }
        foreach (var d in deployments.List(rs.Metadata.NamespaceProperty))
        {
            if (LabelSelectors.Matches(d.Spec?.Selector, rs.Metadata.Labels))
            {
                Queue.Add(ObjectKeys.For(d));
            }
        }
    }

    private V1Deployment? EnqueueOwner(V1ReplicaSet rs)
    {
        if (Resolve(rs.Metadata) is { } d)
        {
            Queue.Add(ObjectKeys.For(d));
            return d;
        }
        return null;
    }

    /// <summary>A Recreate rollout waits for the old pods to be gone; only their deletion tells it so.</summary>
    private void OnPodDeleted(V1Pod pod)
    {
        if (Pods.ControllerOf(pod.Metadata) is { Kind: "ReplicaSet" } owner
            && replicaSets.Get(pod.Metadata.NamespaceProperty, owner.Name) is { } rs && rs.Metadata.Uid == owner.Uid
            && Resolve(rs.Metadata) is { } d
            && d.Spec.Strategy?.Type == "Recreate")
        {
            Queue.Add(ObjectKeys.For(d));
        }
    }

    private V1Deployment? Resolve(V1ObjectMeta replicaSet) => ControllerRefs.ControllerOf(deployments, replicaSet, "Deployment", "apps");

    internal static V1OwnerReference OwnerReference(V1Deployment d) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Name = d.Metadata.Name,
        Uid = d.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>A private deep copy: objects from listers belong to the shared cache.</summary>
    internal static T Copy<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "{Deployment}: {Action} ReplicaSet {ReplicaSet}")]
    private static partial void LogReplicaSet(ILogger logger, string deployment, string action, string replicaSet);
}
