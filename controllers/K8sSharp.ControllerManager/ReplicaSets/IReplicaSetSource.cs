using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;

namespace K8sSharp.ControllerManager.ReplicaSets;

/// <summary>
/// The kind a <see cref="ReplicaSetController"/> manages, seen as ReplicaSets (upstream runs the replication manager
/// as the ReplicaSet controller over adapters that convert ReplicationControllers to ReplicaSets and back). Objects
/// handed out share the cache's metadata (same uid and resourceVersion): read them, never mutate them.
/// </summary>
internal interface IReplicaSetSource
{
    /// <summary>The controller name (upstream's controller key in kube-controller-manager).</summary>
    string ControllerName { get; }

    /// <summary>apiVersion and kind written into the ownerReferences of the pods it creates or adopts.</summary>
    string ApiVersion { get; }

    string Kind { get; }

    /// <summary>Asks the factory for the informer; called once, from the controller's Register.</summary>
    void Register(SharedInformerFactory informers, ResourceEventHandler<V1ReplicaSet> handler);

    V1ReplicaSet? Get(string ns, string name);

    IReadOnlyList<V1ReplicaSet> List(string ns);

    /// <summary>Merge-patches the status subresource of the underlying object.</summary>
    Task PatchStatusAsync(string ns, string name, V1Patch patch, CancellationToken cancellationToken);
}

/// <summary>ReplicaSets themselves (apps/v1): no conversion.</summary>
internal sealed class ReplicaSetSource(IKubernetes client) : IReplicaSetSource
{
    private Informer<V1ReplicaSet> informer = null!;

    public string ControllerName => "replicaset";

    public string ApiVersion => "apps/v1";

    public string Kind => "ReplicaSet";

    public void Register(SharedInformerFactory informers, ResourceEventHandler<V1ReplicaSet> handler)
    {
        informer = informers.GetOrAdd(() => ListWatchers.For<V1ReplicaSet>(client));
        informer.AddEventHandler(handler);
    }

    public V1ReplicaSet? Get(string ns, string name) => informer.Lister.Get(ns, name);

    public IReadOnlyList<V1ReplicaSet> List(string ns) => informer.Lister.List(ns);

    public Task PatchStatusAsync(string ns, string name, V1Patch patch, CancellationToken cancellationToken) =>
        client.AppsV1.PatchNamespacedReplicaSetStatusAsync(patch, name, ns, cancellationToken: cancellationToken);
}
