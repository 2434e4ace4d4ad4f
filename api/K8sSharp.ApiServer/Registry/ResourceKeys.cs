using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// Storage keys as kube-apiserver lays them out in etcd: <c>/registry/&lt;resource&gt;/&lt;namespace&gt;/&lt;name&gt;</c>
/// for namespaced objects, <c>/registry/&lt;resource&gt;/&lt;name&gt;</c> for cluster-scoped ones. A group's resource
/// whose name a core resource already uses (events.k8s.io events) is prefixed by its group to keep them apart.
/// </summary>
internal sealed class ResourceKeys(ApiResource resource, string root = "/registry/")
{
    private readonly string prefix = root + (resource.Group.Length > 0 && CoreNames.Contains(resource.Name)
        ? $"{resource.Group}/{resource.Name}/"
        : $"{resource.Name}/");

    private static readonly HashSet<string> CoreNames = new(ApiCatalog.BuiltIn.ResourcesOf("", "v1").Select(r => r.Name), StringComparer.Ordinal);

    /// <summary>The prefix of every object of the resource, ending in '/'.</summary>
    public string All => prefix;

    /// <summary>The prefix of a list: the namespace's objects, or all of them when <paramref name="ns"/> is empty.</summary>
    public string ListPrefix(string? ns) => resource.Namespaced && !string.IsNullOrEmpty(ns) ? $"{prefix}{ns}/" : prefix;

    public string Key(string? ns, string name) => resource.Namespaced ? $"{prefix}{ns}/{name}" : $"{prefix}{name}";
}
