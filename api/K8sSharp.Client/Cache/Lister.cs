using k8s;
using k8s.Models;

namespace K8sSharp.Client.Cache;

/// <summary>
/// Read-only view of an informer's cache (client-go's generated listers). Reconcilers read state from here, never
/// from the API server, so a burst of keys costs no requests. Returned objects are shared: copy before mutating.
/// </summary>
public sealed class Lister<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Indexer<T> indexer;

    public Lister(Indexer<T> indexer)
    {
        this.indexer = indexer ?? throw new ArgumentNullException(nameof(indexer));
    }

    /// <summary>The object, or null when absent; pass an empty or null namespace for cluster-scoped kinds.</summary>
    public T? Get(string? ns, string name) => indexer.Get(ObjectKeys.For(ns, name));

    /// <summary>The object under a work-queue key.</summary>
    public T? GetByKey(string key) => indexer.Get(key);

    /// <summary>Objects in <paramref name="ns"/> (all namespaces when null) whose labels match the selector (all when null).</summary>
    public IReadOnlyList<T> List(string? ns = null, V1LabelSelector? selector = null)
    {
        var candidates = ns is null ? indexer.List() : indexer.ByIndex(Indexer<T>.NamespaceIndex, ns);
        return selector is null ? candidates : [.. candidates.Where(o => LabelSelectors.Matches(selector, o.Metadata?.Labels))];
    }

    /// <summary>Objects in <paramref name="ns"/> (all when null) carrying every label in <paramref name="labels"/>.</summary>
    public IReadOnlyList<T> List(string? ns, IDictionary<string, string> labels)
    {
        var candidates = ns is null ? indexer.List() : indexer.ByIndex(Indexer<T>.NamespaceIndex, ns);
        return [.. candidates.Where(o => LabelSelectors.Matches(labels, o.Metadata?.Labels))];
    }

    public IReadOnlyList<T> ByIndex(string indexName, string value) => indexer.ByIndex(indexName, value);
}
