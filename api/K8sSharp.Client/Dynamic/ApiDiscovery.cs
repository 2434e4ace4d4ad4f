using k8s;
using k8s.Models;

namespace K8sSharp.Client.Dynamic;

/// <summary>One resource as discovery lists it (subresources excluded).</summary>
public sealed record DiscoveredResource(GroupVersionResource Resource, string Kind, bool Namespaced, IReadOnlySet<string> Verbs)
{
    public bool Supports(params string[] verbs) => verbs.All(Verbs.Contains);
}

/// <summary>
/// The served resources at the preferred version of every group (client-go's ServerPreferredResources), looked up by
/// group and kind as owner references name them (their version may differ: every version serves the same objects).
/// </summary>
public sealed class DiscoveredResources(IReadOnlyList<DiscoveredResource> all)
{
    private readonly Dictionary<(string Group, string Kind), DiscoveredResource> byKind =
        all.GroupBy(r => (r.Resource.Group, r.Kind)).ToDictionary(g => g.Key, g => g.First());

    public IReadOnlyList<DiscoveredResource> All { get; } = all;

    /// <summary>The resource of an <c>apiVersion</c>/<c>kind</c> pair, or null when the server does not serve it.</summary>
    public DiscoveredResource? Find(string apiVersion, string kind)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        return byKind.GetValueOrDefault((group, kind));
    }

    /// <summary>Reads <c>/api/v1</c>, <c>/apis</c> and the preferred version of each group.</summary>
    public static async Task<DiscoveredResources> DiscoverAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var http = ApiRequests.RequireHttpClient(client);
        var resources = new List<DiscoveredResource>();
        var core = await ApiRequests.SendJsonAsync<V1APIResourceList>(http, HttpMethod.Get, "api/v1", null, cancellationToken);
        resources.AddRange(Resources("", "v1", core));
        var groups = await ApiRequests.SendJsonAsync<V1APIGroupList>(http, HttpMethod.Get, "apis", null, cancellationToken);
        foreach (var group in groups.Groups ?? [])
        {
            var version = group.PreferredVersion?.Version ?? group.Versions?.FirstOrDefault()?.Version;
            if (version is null)
            {
                continue;
            }
            var list = await ApiRequests.SendJsonAsync<V1APIResourceList>(http, HttpMethod.Get, $"apis/{group.Name}/{version}", null, cancellationToken);
            resources.AddRange(Resources(group.Name, version, list));
        }
        return new DiscoveredResources(resources);
    }

    private static IEnumerable<DiscoveredResource> Resources(string group, string version, V1APIResourceList list) =>
        (list.Resources ?? [])
            .Where(r => !r.Name.Contains('/', StringComparison.Ordinal))
            .Select(r => new DiscoveredResource(new GroupVersionResource(group, version, r.Name), r.Kind, r.Namespaced,
                new HashSet<string>(r.Verbs ?? [], StringComparer.Ordinal)));
}
