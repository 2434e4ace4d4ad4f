using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.ReplicationControllers;

/// <summary>
/// ReplicationControllers (core/v1) seen as ReplicaSets, so that the one ReplicaSet reconcile manages them (upstream
/// pkg/controller/replication: the replication manager is the ReplicaSet controller over conversion adapters). The
/// status fields have the same JSON names in both kinds, so the status patch the reconcile builds applies as is.
/// </summary>
internal sealed class ReplicationControllerSource(IKubernetes client) : IReplicaSetSource
{
    private Informer<V1ReplicationController> informer = null!;

    public string ControllerName => "replicationcontroller";

    public string ApiVersion => "v1";

    public string Kind => "ReplicationController";

    public void Register(SharedInformerFactory informers, ResourceEventHandler<V1ReplicaSet> handler)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(handler);
        informer = informers.GetOrAdd(() => ListWatchers.For<V1ReplicationController>(client));
        informer.AddEventHandler(new ResourceEventHandler<V1ReplicationController>
        {
            OnAdd = rc => handler.OnAdd?.Invoke(AsReplicaSet(rc)),
            OnUpdate = (old, rc) => handler.OnUpdate?.Invoke(AsReplicaSet(old), AsReplicaSet(rc)),
            OnDelete = rc => handler.OnDelete?.Invoke(AsReplicaSet(rc)),
        });
    }

    public V1ReplicaSet? Get(string ns, string name) => informer.Lister.Get(ns, name) is { } rc ? AsReplicaSet(rc) : null;

    public IReadOnlyList<V1ReplicaSet> List(string ns) => [.. informer.Lister.List(ns).Select(AsReplicaSet)];

    public Task PatchStatusAsync(string ns, string name, V1Patch patch, CancellationToken cancellationToken) =>
        client.CoreV1.PatchNamespacedReplicationControllerStatusAsync(patch, name, ns, cancellationToken: cancellationToken);

    /// <summary>
    /// The ReplicaSet view of a ReplicationController (upstream's conversion): the map selector becomes matchLabels
    /// (an absent one is defaulted by the API server to the template labels); metadata and template are shared.
    /// </summary>
    internal static V1ReplicaSet AsReplicaSet(V1ReplicationController rc)
    {
        ArgumentNullException.ThrowIfNull(rc);
        return new V1ReplicaSet
        {
            ApiVersion = "v1",
            Kind = "ReplicationController",
            Metadata = rc.Metadata,
            Spec = new V1ReplicaSetSpec
            {
                Replicas = rc.Spec?.Replicas,
                MinReadySeconds = rc.Spec?.MinReadySeconds,
                Selector = new V1LabelSelector { MatchLabels = rc.Spec?.Selector ?? rc.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>() },
                Template = rc.Spec?.Template,
            },
            Status = rc.Status is not { } status ? null : new V1ReplicaSetStatus
            {
                Replicas = status.Replicas,
                FullyLabeledReplicas = status.FullyLabeledReplicas,
                ReadyReplicas = status.ReadyReplicas,
                AvailableReplicas = status.AvailableReplicas,
                ObservedGeneration = status.ObservedGeneration,
                Conditions = status.Conditions?.Select(c => new V1ReplicaSetCondition { Type = c.Type, Status = c.Status, LastTransitionTime = c.LastTransitionTime, Message = c.Message, Reason = c.Reason }).ToList(),
            },
        };
    }
}
