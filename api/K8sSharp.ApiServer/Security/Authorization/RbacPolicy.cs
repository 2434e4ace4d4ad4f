using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>One PolicyRule: verbs, and either API groups/resources/resource names or non-resource URLs.</summary>
internal sealed record PolicyRule(
    IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames, IReadOnlyList<string> NonResourceUrls)
{
    public static PolicyRule From(JsonNode? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]),
        Strings(rule?["resourceNames"]), Strings(rule?["nonResourceURLs"]));

    internal static List<string> Strings(JsonNode? array) =>
        array is JsonArray items ? [.. items.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()] : [];

    /// <summary>upstream's RuleAllows: wildcards, <c>resource/subresource</c>, <c>*/subresource</c>, names, URL prefixes.</summary>
    public bool Allows(AuthorizationAttributes request)
    {
        if (!Matches(Verbs, request.Verb))
        {
            return false;
        }
        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }
        var resource = request.Subresource.Length > 0 ? $"{request.Resource}/{request.Subresource}" : request.Resource;
        return Matches(ApiGroups, request.ApiGroup)
            && Resources.Any(r => r == "*" || r == resource || (request.Subresource.Length > 0 && r == "*/" + request.Subresource))
            && (ResourceNames.Count == 0 || ResourceNames.Contains(request.Name));
    }

    private static bool Matches(IReadOnlyList<string> values, string value) => values.Contains("*") || values.Contains(value);

    public JsonObject ToResourceRuleJson() => new()
    {
        ["verbs"] = Array(Verbs),
        ["apiGroups"] = Array(ApiGroups),
        ["resources"] = Array(Resources),
        ["resourceNames"] = Array(ResourceNames),
    };

    public JsonObject ToNonResourceRuleJson() => new() { ["verbs"] = Array(Verbs), ["nonResourceURLs"] = Array(NonResourceUrls) };

    private static JsonArray Array(IReadOnlyList<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}

/// <summary>A binding's subject: a User, Group or ServiceAccount.</summary>
internal sealed record Subject(string Kind, string Name, string Namespace)
{
    public bool Matches(UserInfo user, string bindingNamespace) => Kind switch
    {
        "User" => user.Name == Name,
        "Group" => user.Groups.Contains(Name),
        "ServiceAccount" => user.Name == $"system:serviceaccount:{(Namespace.Length > 0 ? Namespace : bindingNamespace)}:{Name}",
        _ => false,
    };
}

/// <summary>A RoleBinding or ClusterRoleBinding: who, and which role (kind Role or ClusterRole).</summary>
internal sealed record Binding(string Namespace, string RoleKind, string RoleName, IReadOnlyList<Subject> Subjects)
{
    public static Binding From(JsonObject binding) => new(
        (string?)binding["metadata"]?["namespace"] ?? "",
        (string?)binding["roleRef"]?["kind"] ?? "",
        (string?)binding["roleRef"]?["name"] ?? "",
        [.. (binding["subjects"] as JsonArray ?? []).Select(s => new Subject((string?)s?["kind"] ?? "", (string?)s?["name"] ?? "", (string?)s?["namespace"] ?? ""))]);
}

/// <summary>
/// An immutable snapshot of the RBAC objects, indexed for the authorizer: rules per ClusterRole and per namespaced
/// Role, the ClusterRoleBindings, and the RoleBindings per namespace.
/// </summary>
internal sealed class RbacPolicy
{
    public static readonly RbacPolicy Empty = new([], [], [], []);

    public RbacPolicy(IEnumerable<JsonObject> clusterRoles, IEnumerable<JsonObject> roles, IEnumerable<JsonObject> clusterRoleBindings, IEnumerable<JsonObject> roleBindings)
    {
        ClusterRoles = clusterRoles.ToDictionary(r => (string)r["metadata"]!["name"]!, Rules, StringComparer.Ordinal);
        Roles = roles.ToDictionary(r => ((string)r["metadata"]!["namespace"]!, (string)r["metadata"]!["name"]!), Rules);
        ClusterRoleBindings = [.. clusterRoleBindings.Select(Binding.From)];
        RoleBindings = roleBindings.Select(Binding.From).GroupBy(b => b.Namespace).ToDictionary(g => g.Key, g => (IReadOnlyList<Binding>)[.. g], StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<PolicyRule>> ClusterRoles { get; }

    public IReadOnlyDictionary<(string Namespace, string Name), IReadOnlyList<PolicyRule>> Roles { get; }

    public IReadOnlyList<Binding> ClusterRoleBindings { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<Binding>> RoleBindings { get; }

    /// <summary>Every rule that applies to <paramref name="user"/> in <paramref name="ns"/> ("" = cluster-wide only).</summary>
    public IEnumerable<PolicyRule> RulesFor(UserInfo user, string ns)
    {
        var bindings = ClusterRoleBindings.Where(b => b.Subjects.Any(s => s.Matches(user, "")));
        if (ns.Length > 0 && RoleBindings.TryGetValue(ns, out var local))
        {
            bindings = bindings.Concat(local.Where(b => b.Subjects.Any(s => s.Matches(user, ns))));
        }
        return bindings.SelectMany(b => RoleRules(b));
    }

    private IReadOnlyList<PolicyRule> RoleRules(Binding binding) => binding.RoleKind switch
    {
        "ClusterRole" => ClusterRoles.GetValueOrDefault(binding.RoleName) ?? [],
        "Role" => Roles.GetValueOrDefault((binding.Namespace, binding.RoleName)) ?? [],
        _ => [],
    };

    private static IReadOnlyList<PolicyRule> Rules(JsonObject role) => [.. (role["rules"] as JsonArray ?? []).Select(PolicyRule.From)];
}
