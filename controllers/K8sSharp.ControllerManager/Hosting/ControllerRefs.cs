using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// Resolving a controller reference to the object it names (upstream resolveControllerRef): the reference must
/// name <c>kind</c> in <c>group</c> (any version: apps/v1beta2 and apps/v1 name the same object), and the object in
/// the lister must still be the one referenced (same uid), so a recreated namesake is not mistaken for the owner.
/// </summary>
internal static class ControllerRefs
{
    public static T? Resolve<T>(Lister<T> owners, string? ns, V1OwnerReference? reference, string kind, string group)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Resolve(reference, kind, group, name => owners.Get(ns, name));

    /// <summary>The same over any cache: <paramref name="byName"/> finds an object of the child's namespace by name.</summary>
    public static T? Resolve<T>(V1OwnerReference? reference, string kind, string group, Func<string, T?> byName)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (reference is null || reference.Kind != kind || Group(reference.ApiVersion) != group)
        {
            return null;
        }
        var owner = byName(reference.Name);
        return owner?.Metadata.Uid == reference.Uid ? owner : null;
    }

    /// <summary>The owner named by <paramref name="child"/>'s controller reference, resolved as above.</summary>
    public static T? ControllerOf<T>(Lister<T> owners, V1ObjectMeta child, string kind, string group)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Resolve(owners, child.NamespaceProperty, Pods.ControllerOf(child), kind, group);

    /// <summary>The group of an apiVersion: "apps" for "apps/v1", empty for the core "v1".</summary>
    public static string Group(string? apiVersion) =>
        apiVersion?.IndexOf('/', StringComparison.Ordinal) is { } slash and >= 0 ? apiVersion[..slash] : string.Empty;
}
