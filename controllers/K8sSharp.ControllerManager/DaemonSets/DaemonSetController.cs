using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.Revisions;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>
/// Runs one pod of each DaemonSet on every eligible node (upstream pkg/controller/daemon). Keys are
/// <c>namespace/name</c> of DaemonSets; pod events map to the owning DaemonSet (orphans to every DaemonSet selecting
/// them), node changes that can change eligibility enqueue every DaemonSet, revision deletions enqueue their owner.
/// Creates and deletes are counted in <see cref="ControllerExpectations"/> until observed. This file: informers and
/// handlers; the reconcile is in DaemonSetController.Sync.cs.
/// </summary>
internal sealed partial class DaemonSetController : QueuedController
{
    private readonly IKubernetes client;
    private readonly IEventRecorder events;
    private readonly ControllerExpectations expectations;
    private readonly PodClaims claims;
    private Lister<V1DaemonSet> daemonSets = null!;
    private Lister<V1Pod> pods = null!;
    private Lister<V1Node> nodes = null!;
    private RevisionHistory history = null!;

    public DaemonSetController(IKubernetes client, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
        this.events = events;
        expectations = new ControllerExpectations(time);
        claims = new PodClaims(client, logger);
    }

    public override string Name => "daemonset";

    internal ControllerExpectations Expectations => expectations;

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var dsInformer = informers.GetOrAdd(() => ListWatchers.For<V1DaemonSet>(client));
        var podInformer = informers.GetOrAdd(() => ListWatchers.For<V1Pod>(client));
        var nodeInformer = informers.GetOrAdd(() => ListWatchers.For<V1Node>(client));
        var revisionInformer = informers.GetOrAdd(() => ListWatchers.For<V1ControllerRevision>(client));
        daemonSets = dsInformer.Lister;
        pods = podInformer.Lister;
        nodes = nodeInformer.Lister;
        history = new RevisionHistory(client, revisionInformer.Lister);
        dsInformer.AddEventHandler(new ResourceEventHandler<V1DaemonSet>
        {
            OnAdd = ds => Queue.Add(ObjectKeys.For(ds)),
            OnUpdate = (_, ds) => Queue.Add(ObjectKeys.For(ds)),
            OnDelete = ds =>
            {
                expectations.Delete(ObjectKeys.For(ds));
                Queue.Add(ObjectKeys.For(ds));
            },
        });
        podInformer.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = pod => OnPodChanged(pod, created: true),
            OnUpdate = (old, pod) =>
            {
                if (old.Metadata.ResourceVersion != pod.Metadata.ResourceVersion)
                {
                    OnPodChanged(pod, created: false);
                }
            },
            OnDelete = OnPodDeleted,
        });
        nodeInformer.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = _ => EnqueueAll(),
            OnUpdate = (old, node) =>
            {
                if (EligibilityMayDiffer(old, node))
                {
                    EnqueueAll();
                }
            },
            OnDelete = _ => EnqueueAll(),
        });
        revisionInformer.AddEventHandler(new ResourceEventHandler<V1ControllerRevision>
        {
            OnDelete = revision => EnqueueOwner(revision.Metadata),
        });
    }

    private void OnPodChanged(V1Pod pod, bool created)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            OnPodDeleted(pod);
            return;
        }
        if (Pods.ControllerOf(pod.Metadata) is not null)
        {
            if (Resolve(pod.Metadata) is { } ds)
            {
                if (created)
                {
                    expectations.CreationObserved(ObjectKeys.For(ds));
                }
                Queue.Add(ObjectKeys.For(ds));
                EnqueueWhenAvailable(ds, pod);
            }
            return;
        }
        foreach (var ds in daemonSets.List(pod.Metadata.NamespaceProperty).Where(d => LabelSelectors.Matches(d.Spec?.Selector, pod.Metadata.Labels)))
        {
            Queue.Add(ObjectKeys.For(ds));
        }
    }

    private void OnPodDeleted(V1Pod pod)
    {
        if (Resolve(pod.Metadata) is { } ds)
        {
            expectations.DeletionObserved(ObjectKeys.For(ds), Pods.Key(pod));
            Queue.Add(ObjectKeys.For(ds));
        }
    }

    /// <summary>A ready pod turns available minReadySeconds later; no event marks that moment.</summary>
    private void EnqueueWhenAvailable(V1DaemonSet ds, V1Pod pod)
    {
        if (ds.Spec.MinReadySeconds is > 0 and var seconds && Pods.IsReady(pod))
        {
            Queue.AddAfter(ObjectKeys.For(ds), TimeSpan.FromSeconds(seconds + 1));
        }
    }

    private void EnqueueOwner(V1ObjectMeta metadata)
    {
        if (Resolve(metadata) is { } ds)
        {
            Queue.Add(ObjectKeys.For(ds));
        }
    }

    private void EnqueueAll()
    {
        foreach (var ds in daemonSets.List())
        {
            Queue.Add(ObjectKeys.For(ds));
        }
    }

    /// <summary>Only labels, taints and schedulability feed the eligibility check; heartbeats do not.</summary>
    private static bool EligibilityMayDiffer(V1Node old, V1Node node) =>
        !SameLabels(old.Metadata.Labels, node.Metadata.Labels)
        || KubernetesJson.Serialize(old.Spec?.Taints) != KubernetesJson.Serialize(node.Spec?.Taints)
        || old.Spec?.Unschedulable != node.Spec?.Unschedulable;

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value);

    private V1DaemonSet? Resolve(V1ObjectMeta metadata) => ControllerRefs.ControllerOf(daemonSets, metadata, "DaemonSet", "apps");
}
