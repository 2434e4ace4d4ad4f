using k8s;
using k8s.Models;

namespace K8sSharp.Client.Cache;

/// <summary>Computes the index values of an object for one named index (e.g. its namespace, its node name).</summary>
public delegate IEnumerable<string> IndexFunc<in T>(T obj);

/// <summary>
/// The informer's thread-safe local cache (client-go's thread-safe store plus indexers): objects keyed by
/// <see cref="ObjectKeys"/>, with optional named secondary indexes kept in step with every write. Readers get the
/// stored instances; they must treat them as immutable (copy before mutating), as with client-go's listers.
/// </summary>
public sealed class Indexer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly object gate = new();
    private readonly Dictionary<string, T> items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexFunc<T>> indexFuncs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> indices = new(StringComparer.Ordinal);

    /// <summary>The index of objects by namespace, registered on every indexer.</summary>
    public const string NamespaceIndex = "namespace";

    public Indexer()
    {
        AddIndex(NamespaceIndex, obj => [obj.Metadata?.NamespaceProperty ?? string.Empty]);
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>Registers a named index; existing objects are indexed at once.</summary>
    public void AddIndex(string name, IndexFunc<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        lock (gate)
        {
            if (!indexFuncs.TryAdd(name, func))
            {
                throw new InvalidOperationException($"index \"{name}\" already exists");
            }
            indices[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (key, obj) in items)
            {
                AddToIndex(name, func, key, obj);
            }
        }
    }

    /// <summary>
    /// Registers a named index unless one of that name exists already (several controllers sharing an informer may
    /// each ask for the same ready-made index, e.g. <see cref="IndexFuncs.NodeName"/>); false when it existed.
    /// </summary>
    public bool TryAddIndex(string name, IndexFunc<T> func)
    {
        lock (gate)
        {
            if (indexFuncs.ContainsKey(name))
            {
                return false;
            }
            AddIndex(name, func);
            return true;
        }
    }

    /// <summary>Adds or replaces the object; returns the previous object under the same key, if any.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKeys.For(obj);
        lock (gate)
        {
            items.TryGetValue(key, out var old);
            if (old is not null)
            {
                RemoveFromIndices(key, old);
            }
            items[key] = obj;
            foreach (var (name, func) in indexFuncs)
            {
                AddToIndex(name, func, key, obj);
            }
            return old;
        }
    }

    /// <summary>Removes the object under <paramref name="key"/>; returns it, or null if it was absent.</summary>
    public T? Remove(string key)
    {
        lock (gate)
        {
            if (!items.Remove(key, out var old))
            {
                return null;
            }
            RemoveFromIndices(key, old);
            return old;
        }
    }

    public T? Get(string key)
    {
        lock (gate)
        {
            return items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (gate)
        {
            return [.. items.Values];
        }
    }

    public IReadOnlyList<string> Keys()
    {
        lock (gate)
        {
            return [.. items.Keys];
        }
    }

    /// <summary>The objects whose index <paramref name="indexName"/> contains <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (gate)
        {
            if (!indices.TryGetValue(indexName, out var index))
            {
                throw new KeyNotFoundException($"index \"{indexName}\" does not exist");
            }
            return index.TryGetValue(value, out var keys) ? [.. keys.Select(k => items[k])] : [];
        }
    }

    private void AddToIndex(string name, IndexFunc<T> func, string key, T obj)
    {
        var index = indices[name];
        foreach (var value in func(obj).Distinct(StringComparer.Ordinal))
        {
            if (!index.TryGetValue(value, out var keys))
            {
                index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            }
            keys.Add(key);
        }
    }

    private void RemoveFromIndices(string key, T obj)
    {
        foreach (var (name, func) in indexFuncs)
        {
            var index = indices[name];
            foreach (var value in func(obj))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}

/// <summary>Ready-made index functions for the lookups controllers do most.</summary>
public static class IndexFuncs
{
    public const string OwnerUid = "ownerUid";
    public const string NodeName = "nodeName";

    /// <summary>Indexes objects by the UIDs of their owner references (for garbage-collector and controller lookups).</summary>
    public static IEnumerable<string> ByOwnerUid<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta> =>
        obj.Metadata?.OwnerReferences?.Select(o => o.Uid) ?? [];

    /// <summary>Indexes pods by <c>spec.nodeName</c>; unscheduled pods are not indexed.</summary>
    public static IEnumerable<string> PodByNodeName(V1Pod pod) =>
        string.IsNullOrEmpty(pod?.Spec?.NodeName) ? [] : [pod.Spec.NodeName];
}
