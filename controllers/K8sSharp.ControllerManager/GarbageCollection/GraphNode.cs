using k8s.Models;
using K8sSharp.Client.Dynamic;

namespace K8sSharp.ControllerManager.GarbageCollection;

/// <summary>Who an object is: its resource (as discovered), namespace (empty when cluster-scoped), name and uid.</summary>
internal sealed record ObjectIdentity(DiscoveredResource Resource, string Namespace, string Name, string Uid)
{
    public string Kind => Resource.Kind;

    public override string ToString() => $"{Resource.Kind} {(Namespace.Length == 0 ? Name : Namespace + "/" + Name)} ({Uid})";
}

/// <summary>
/// One object of the dependency graph (upstream's <c>node</c>) as last observed: identity, owner references, and the
/// deletion state the garbage collector acts on.
/// </summary>
internal sealed record GraphNode(ObjectIdentity Identity, IReadOnlyList<V1OwnerReference> Owners, bool BeingDeleted, IReadOnlyList<string> Finalizers)
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    public string Uid => Identity.Uid;

    /// <summary>Being deleted in the foreground: waits until its blocking dependents are gone.</summary>
    public bool DeletingDependents => BeingDeleted && Finalizers.Contains(ForegroundFinalizer);

    /// <summary>Being deleted with the orphan policy: its dependents lose their reference to it, then it goes.</summary>
    public bool Orphaning => BeingDeleted && Finalizers.Contains(OrphanFinalizer);

    public V1OwnerReference? OwnerReferenceTo(string ownerUid) => Owners.FirstOrDefault(o => o.Uid == ownerUid);

    public static GraphNode From(DiscoveredResource resource, V1ObjectMeta metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var identity = new ObjectIdentity(resource, metadata.NamespaceProperty ?? string.Empty, metadata.Name, metadata.Uid);
        return new GraphNode(identity, [.. metadata.OwnerReferences ?? []], metadata.DeletionTimestamp is not null, [.. metadata.Finalizers ?? []]);
    }
}
