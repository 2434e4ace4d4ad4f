using k8s;
using k8s.Models;

namespace K8sSharp.Client.Informers;

/// <summary>Shorthands for <see cref="ResourceListWatcher{T}"/>, the list/watch pair of any built-in kind.</summary>
public static class ListWatchers
{
    /// <summary>Every object of the kind in <paramref name="ns"/> (null: all namespaces, or a cluster-scoped kind).</summary>
    public static IListWatcher<T> For<T>(IKubernetes client, string? ns = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new ResourceListWatcher<T>(client, new ListScope(ns));

    /// <summary>The objects of the kind that match the scope's namespace and label/field selectors.</summary>
    public static IListWatcher<T> For<T>(IKubernetes client, ListScope scope)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new ResourceListWatcher<T>(client, scope);
}
