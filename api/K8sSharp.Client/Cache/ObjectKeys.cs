using k8s;
using k8s.Models;

namespace K8sSharp.Client.Cache;

/// <summary>
/// The store key of an object, as client-go's MetaNamespaceKeyFunc: <c>namespace/name</c> for namespaced objects,
/// plain <c>name</c> for cluster-scoped ones. Work queues carry these keys; workers split them to read listers.
/// </summary>
public static class ObjectKeys
{
    public static string For(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj.Metadata ?? throw new ArgumentException("object has no metadata", nameof(obj));
        return For(metadata.NamespaceProperty, metadata.Name);
    }

    public static string For(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    /// <summary>Splits a key into (namespace, name); the namespace is empty for cluster-scoped keys.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (string.Empty, key);
        }
        if (key.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"unexpected key format: \"{key}\"");
        }
        return (key[..slash], key[(slash + 1)..]);
    }
}
