using System.Text.Json.Nodes;

namespace K8sSharp.Api.Schema;

/// <summary>A served API group with its versions, the preferred one first.</summary>
public sealed record ApiGroupVersions(string Name, IReadOnlyList<string> Versions);

/// <summary>
/// Every resource the server serves, derived from the OpenAPI documents' paths the way kube-apiserver's route
/// installer would have produced them: collection and item URLs give the verbs, <c>{namespace}</c> gives the
/// scope, path suffixes after <c>{name}</c> give subresources. CustomResourceDefinitions will add to it later.
/// </summary>
public sealed class ApiCatalog
{
    /// <summary>Group order of kube-apiserver's discovery (its storage priority list); unknown groups follow, by name.</summary>
    private static readonly string[] GroupOrder =
    [
        "", "apiregistration.k8s.io", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
        "autoscaling", "batch", "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
        "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
        "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
    ];

    private static readonly Lazy<ApiCatalog> BuiltInCatalog = new(() => FromDocuments(OpenApiDocuments.ByPath.Values));

    private readonly Dictionary<(string Group, string Version, string Name), ApiResource> byName = [];
    private readonly Dictionary<GroupVersionKind, ApiResource> byKind = [];

    public ApiCatalog(IEnumerable<ApiResource> resources)
    {
        foreach (var resource in resources)
        {
            byName[(resource.Group, resource.Version, resource.Name)] = resource;
            byKind.TryAdd(resource.Gvk, resource);
        }
        Groups = BuildGroups(byName.Values);
    }

    /// <summary>The catalog of the embedded Kubernetes 1.35 built-in API.</summary>
    public static ApiCatalog BuiltIn => BuiltInCatalog.Value;

    public IReadOnlyList<ApiGroupVersions> Groups { get; }

    public IEnumerable<ApiResource> Resources => byName.Values;

    public IEnumerable<ApiResource> ResourcesOf(string group, string version) =>
        byName.Values.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Name, StringComparer.Ordinal);

    public ApiResource? Find(string group, string version, string name) =>
        byName.GetValueOrDefault((group, version, name));

    public ApiResource? FindByKind(GroupVersionKind gvk) => byKind.GetValueOrDefault(gvk);

    public bool ServesGroupVersion(string group, string version) =>
        Groups.Any(g => g.Name == group && g.Versions.Contains(version));

    public static ApiCatalog FromDocuments(IEnumerable<OpenApiDocument> documents)
    {
        var builders = new Dictionary<(string, string, string), ResourceBuilder>();
        foreach (var document in documents)
        {
            foreach (var (path, item) in (JsonObject)document.Root["paths"]!)
            {
                OpenApiPathParser.Apply(path, (JsonObject)item!, builders);
            }
        }
        return new ApiCatalog(builders.Values.Where(b => b.Kind is not null).Select(b => b.Build()));
    }

    private static List<ApiGroupVersions> BuildGroups(IEnumerable<ApiResource> resources) =>
        resources.GroupBy(r => r.Group)
            .OrderBy(g => Array.IndexOf(GroupOrder, g.Key) is var i && i >= 0 ? i : GroupOrder.Length)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ApiGroupVersions(g.Key, g.Select(r => r.Version).Distinct().OrderBy(VersionPriority).ToList()))
            .ToList();

    /// <summary>Kubernetes version ordering: GA before beta before alpha, higher numbers first.</summary>
    internal static int VersionPriority(string version)
    {
        var stability = version.Contains("alpha", StringComparison.Ordinal) ? 2 : version.Contains("beta", StringComparison.Ordinal) ? 1 : 0;
        var digits = new string(version.Skip(1).TakeWhile(char.IsDigit).ToArray());
        var major = int.TryParse(digits, out var m) ? m : 0;
        return (stability * 1000) - major;
    }
}
