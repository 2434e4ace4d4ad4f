using System.Text.Json.Nodes;

namespace K8sSharp.Api.Schema;

/// <summary>Accumulates what one OpenAPI path says about a resource into a <see cref="ResourceBuilder"/>.</summary>
internal static class OpenApiPathParser
{
    private static readonly string[] Methods = ["get", "put", "post", "patch", "delete"];

    public static void Apply(string path, JsonObject item, Dictionary<(string, string, string), ResourceBuilder> builders)
    {
        if (!TrySplit(path, out var group, out var version, out var segments) || segments.Count == 0 || segments[0] == "watch")
        {
            return;
        }
        var namespaced = segments.Count >= 3 && segments[0] == "namespaces" && segments[1] == "{namespace}";
        var rest = namespaced ? segments.Skip(2).ToList() : segments;
        var builder = GetBuilder(builders, group, version, rest[0]);
        builder.Namespaced |= namespaced;
        foreach (var method in Methods)
        {
            if (item[method] is JsonObject operation)
            {
                ApplyOperation(builder, rest, method, operation);
            }
        }
        if (rest.Count == 2 && item["get"] is not null)
        {
            builder.Verbs.Add("watch"); // every gettable item of a listable resource is watchable; fixed below
        }
    }

    private static void ApplyOperation(ResourceBuilder builder, List<string> rest, string method, JsonObject operation)
    {
        var gvk = ReadGvk(operation);
        if (rest.Count == 1)
        {
            builder.Kind ??= gvk?.Kind;
            builder.Verbs.Add(method switch { "get" => "list", "post" => "create", "delete" => "deletecollection", _ => method });
        }
        else if (rest.Count == 2)
        {
            builder.Kind ??= gvk?.Kind;
            builder.Verbs.Add(method switch { "put" => "update", _ => method });
        }
        else if (gvk is { } subKind)
        {
            var sub = builder.Subresource(rest[2], subKind);
            sub.Add(method switch { "put" => "update", "post" => "create", _ => method });
        }
    }

    private static GroupVersionKind? ReadGvk(JsonObject operation) =>
        operation["x-kubernetes-group-version-kind"] is JsonObject g
            ? new GroupVersionKind((string)g["group"]!, (string)g["version"]!, (string)g["kind"]!)
            : null;

    private static ResourceBuilder GetBuilder(Dictionary<(string, string, string), ResourceBuilder> builders, string group, string version, string name)
    {
        if (!builders.TryGetValue((group, version, name), out var builder))
        {
            builder = new ResourceBuilder(group, version, name);
            builders[(group, version, name)] = builder;
        }
        return builder;
    }

    /// <summary>Splits <c>/apis/apps/v1/namespaces/{namespace}/deployments</c> into group, version and the rest.</summary>
    internal static bool TrySplit(string path, out string group, out string version, out List<string> segments)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        (group, version, segments) = parts switch
        {
            ["api", var v, .. var r] => ("", v, r.ToList()),
            ["apis", var g, var v, .. var r] => (g, v, r.ToList()),
            _ => ("", "", []),
        };
        return version.Length > 0;
    }
}

/// <summary>Mutable collector for one resource while the OpenAPI paths are walked.</summary>
internal sealed class ResourceBuilder(string group, string version, string name)
{
    private readonly Dictionary<string, (GroupVersionKind Kind, SortedSet<string> Verbs)> subresources = new(StringComparer.Ordinal);

    public string? Kind { get; set; }

    public bool Namespaced { get; set; }

    public SortedSet<string> Verbs { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Subresource(string subName, GroupVersionKind kind)
    {
        if (!subresources.TryGetValue(subName, out var entry))
        {
            entry = (kind, new SortedSet<string>(StringComparer.Ordinal));
            subresources[subName] = entry;
        }
        return entry.Verbs;
    }

    public ApiResource Build()
    {
        if (!Verbs.Contains("list"))
        {
            Verbs.Remove("watch"); // only resources with a list endpoint have watch endpoints upstream
        }
        var groupResource = group.Length == 0 ? name : $"{name}.{group}";
        var subs = subresources.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new ApiSubresource(s.Key, s.Value.Kind, s.Value.Verbs.ToList()))
            .ToList();
        return new ApiResource(group, version, name, Kind!, Namespaced, Verbs.ToList(), subs,
            ResourceHints.ShortNames(groupResource), ResourceHints.Categories(groupResource));
    }
}
