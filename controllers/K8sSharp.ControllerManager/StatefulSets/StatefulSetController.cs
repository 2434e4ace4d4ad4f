using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.Revisions;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.StatefulSets;

/// <summary>
/// Gives each StatefulSet its numbered pods with stable identity and storage (upstream pkg/controller/statefulset).
/// Keys are <c>namespace/name</c> of StatefulSets; pod events map to the owning set (orphans to every set selecting
/// them). Pod names are fixed, so a repeated create meets AlreadyExists instead of duplicating: no expectations are
/// needed (upstream has none either). This file: informers and handlers; the reconcile is in StatefulSetController.Sync.cs.
/// </summary>
internal sealed partial class StatefulSetController : QueuedController
{
    private readonly IKubernetes client;
    private readonly IEventRecorder events;
    private readonly PodClaims claims;
    private Lister<V1StatefulSet> statefulSets = null!;
    private Lister<V1Pod> pods = null!;
    private Lister<V1PersistentVolumeClaim> volumeClaims = null!;
    private RevisionHistory history = null!;

    public StatefulSetController(IKubernetes client, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.events = events;
        claims = new PodClaims(client, logger);
    }

    public override string Name => "statefulset";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var setInformer = informers.GetOrAdd(() => ListWatchers.For<V1StatefulSet>(client));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        var claimInformer = informers.GetOrAdd(() => ListWatchers.For<V1PersistentVolumeClaim>(client));
        var revisionInformer = informers.GetOrAdd(() => ListWatchers.For<V1ControllerRevision>(client));
        statefulSets = setInformer.Lister;
        pods = podInformer.Lister;
        volumeClaims = claimInformer.Lister;
        history = new RevisionHistory(client, revisionInformer.Lister);
        EnqueueOnEveryChange(setInformer);
        OnEveryChange(podInformer, OnPodChanged);
        revisionInformer.AddEventHandler(new ResourceEventHandler<V1ControllerRevision>
        {
            OnDelete = revision =>
            {
                if (Resolve(revision.Metadata) is { } set)
                {
                    Queue.Add(ObjectKeys.For(set));
                }
            },
        });
    }

    private void OnPodChanged(V1Pod pod)
    {
        if (Pods.ControllerOf(pod.Metadata) is not null)
        {
            if (Resolve(pod.Metadata) is { } set)
            {
                Queue.Add(ObjectKeys.For(set));
                if (set.Spec.MinReadySeconds is > 0 and var seconds && Pods.IsReady(pod))
                {
                    Queue.AddAfter(ObjectKeys.For(set), TimeSpan.FromSeconds(seconds + 1)); // when it turns available
                }
            }
            return;
        }
        foreach (var set in statefulSets.List(pod.Metadata.NamespaceProperty).Where(s => LabelSelectors.Matches(s.Spec?.Selector, pod.Metadata.Labels)))
        {
            Queue.Add(ObjectKeys.For(set));
        }
    }

    private V1StatefulSet? Resolve(V1ObjectMeta metadata) => ControllerRefs.ControllerOf(statefulSets, metadata, "StatefulSet", "apps");

    internal static V1OwnerReference Reference(V1StatefulSet set) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Name = set.Metadata.Name,
        Uid = set.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
