using k8s;
using k8s.Models;

namespace K8sSharp.Client.Informers;

/// <summary>
/// List/watch pairs for the built-in kinds the components use. <c>ns</c> null means all namespaces (or a
/// cluster-scoped kind). Add a kind here when a controller first needs it; anything else can be passed to
/// <see cref="Informer{T}"/> as a hand-built <see cref="ListWatcher{T, TList}"/>.
/// </summary>
public static class ListWatchers
{
    public static IListWatcher<V1ConfigMap> ConfigMaps(IKubernetes client, string? ns = null) =>
        new ListWatcher<V1ConfigMap, V1ConfigMapList>(
            (limit, cont, ct) => ns is null
                ? client.CoreV1.ListConfigMapForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct)
                : client.CoreV1.ListNamespacedConfigMapAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => ns is null
                ? client.CoreV1.WatchListConfigMapForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static IListWatcher<V1Pod> Pods(IKubernetes client, string? ns = null) =>
        new ListWatcher<V1Pod, V1PodList>(
            (limit, cont, ct) => ns is null
                ? client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct)
                : client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => ns is null
                ? client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static IListWatcher<V1Service> Services(IKubernetes client, string? ns = null) =>
        new ListWatcher<V1Service, V1ServiceList>(
            (limit, cont, ct) => ns is null
                ? client.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct)
                : client.CoreV1.ListNamespacedServiceAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => ns is null
                ? client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedServiceAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static IListWatcher<V1Node> Nodes(IKubernetes client) =>
        new ListWatcher<V1Node, V1NodeList>(
            (limit, cont, ct) => client.CoreV1.ListNodeAsync(continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static IListWatcher<V1Namespace> Namespaces(IKubernetes client) =>
        new ListWatcher<V1Namespace, V1NamespaceList>(
            (limit, cont, ct) => client.CoreV1.ListNamespaceAsync(continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static IListWatcher<V1Deployment> Deployments(IKubernetes client, string? ns = null) =>
        new ListWatcher<V1Deployment, V1DeploymentList>(
            (limit, cont, ct) => ns is null
                ? client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct)
                : client.AppsV1.ListNamespacedDeploymentAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => ns is null
                ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static IListWatcher<V1ReplicaSet> ReplicaSets(IKubernetes client, string? ns = null) =>
        new ListWatcher<V1ReplicaSet, V1ReplicaSetList>(
            (limit, cont, ct) => ns is null
                ? client.AppsV1.ListReplicaSetForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct)
                : client.AppsV1.ListNamespacedReplicaSetAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => ns is null
                ? client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedReplicaSetAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static IListWatcher<V1ServiceAccount> ServiceAccounts(IKubernetes client, string? ns = null) =>
        new ListWatcher<V1ServiceAccount, V1ServiceAccountList>(
            (limit, cont, ct) => ns is null
                ? client.CoreV1.ListServiceAccountForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct)
                : client.CoreV1.ListNamespacedServiceAccountAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct),
            (rv, timeout, onError, ct) => ns is null
                ? client.CoreV1.WatchListServiceAccountForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedServiceAccountAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));
}
