using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// Discovery documents built once from the catalog: aggregated v2 (<c>APIGroupDiscoveryList</c>, what kubectl
/// 1.35 prefers) and the legacy <c>APIVersions</c>, <c>APIGroupList</c>, <c>APIGroup</c> and <c>APIResourceList</c>.
/// </summary>
internal sealed class DiscoveryDocuments(ApiCatalog catalog)
{
    public JsonObject Aggregated(bool core)
    {
        var items = new JsonArray();
        foreach (var group in catalog.Groups.Where(g => (g.Name.Length == 0) == core))
        {
            var metadata = core ? new JsonObject { ["creationTimestamp"] = null } : new JsonObject { ["name"] = group.Name, ["creationTimestamp"] = null };
            var versions = new JsonArray(group.Versions.Select(v => (JsonNode)new JsonObject
            {
                ["version"] = v,
                ["resources"] = new JsonArray(catalog.ResourcesOf(group.Name, v).Select(r => (JsonNode)AggregatedResource(r)).ToArray()),
                ["freshness"] = "Current",
            }).ToArray());
            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject AggregatedResource(ApiResource r)
    {
        var entry = new JsonObject
        {
            ["resource"] = r.Name,
            ["responseKind"] = Gvk(r.Gvk),
            ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = r.SingularName,
            ["verbs"] = Strings(r.Verbs),
        };
        if (r.ShortNames.Count > 0)
        {
            entry["shortNames"] = Strings(r.ShortNames);
        }
        if (r.Categories.Count > 0)
        {
            entry["categories"] = Strings(r.Categories);
        }
        if (r.Subresources.Count > 0)
        {
            entry["subresources"] = new JsonArray(r.Subresources.Select(s => (JsonNode)new JsonObject
            {
                ["subresource"] = s.Name,
                ["responseKind"] = Gvk(s.Kind),
                ["verbs"] = Strings(s.Verbs),
            }).ToArray());
        }
        return entry;
    }

    public JsonObject ApiVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1:6443" }),
    };

    public JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.Groups.Where(g => g.Name.Length > 0).Select(g => (JsonNode)GroupEntry(g)).ToArray()),
    };

    public JsonObject? Group(string name) =>
        catalog.Groups.FirstOrDefault(g => g.Name == name && name.Length > 0) is { } group
            ? GroupEntry(group, new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" })
            : null;

    private static JsonObject GroupEntry(ApiGroupVersions group, JsonObject? into = null) => new(into ?? [])
    {
        ["name"] = group.Name,
        ["versions"] = new JsonArray(group.Versions.Select(v => (JsonNode)VersionEntry(group.Name, v)).ToArray()),
        ["preferredVersion"] = VersionEntry(group.Name, group.Versions[0]),
    };

    private static JsonObject VersionEntry(string group, string version) =>
        new() { ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["version"] = version };

    public JsonObject? ResourceList(string group, string version)
    {
        if (!catalog.ServesGroupVersion(group, version))
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var r in catalog.ResourcesOf(group, version))
        {
            resources.Add(LegacyResource(r.Name, r.SingularName, r.Namespaced, r.Kind, r.Verbs, r.ShortNames, r.Categories));
            foreach (var s in r.Subresources)
            {
                var sub = LegacyResource($"{r.Name}/{s.Name}", string.Empty, r.Namespaced, s.Kind.Kind, s.Verbs, [], []);
                if (s.Kind.Group != group || s.Kind.Version != version)
                {
                    sub["group"] = s.Kind.Group;
                    sub["version"] = s.Kind.Version;
                }
                resources.Add(sub);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject LegacyResource(string name, string singular, bool namespaced, string kind, IReadOnlyList<string> verbs,
        IReadOnlyList<string> shortNames, IReadOnlyList<string> categories)
    {
        var entry = new JsonObject { ["name"] = name, ["singularName"] = singular, ["namespaced"] = namespaced, ["kind"] = kind, ["verbs"] = Strings(verbs) };
        if (shortNames.Count > 0)
        {
            entry["shortNames"] = Strings(shortNames);
        }
        if (categories.Count > 0)
        {
            entry["categories"] = Strings(categories);
        }
        return entry;
    }

    private static JsonObject Gvk(GroupVersionKind gvk) => new() { ["group"] = gvk.Group, ["version"] = gvk.Version, ["kind"] = gvk.Kind };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
