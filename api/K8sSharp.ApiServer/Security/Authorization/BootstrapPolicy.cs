using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings upstream's RBAC bootstrap policy creates at start-up (a subset:
/// the roles users and charts refer to): cluster-admin for <c>system:masters</c>, discovery, basic-user and
/// public-info for everyone, and the aggregated user-facing roles admin, edit and view, whose rules come from the
/// <c>system:aggregate-to-*</c> roles. Created when missing; a user's later edits are kept.
/// </summary>
internal static class BootstrapPolicy
{
    private const string Group = "rbac.authorization.k8s.io";
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];
    private static readonly string[] WriteVerbs = ["create", "delete", "deletecollection", "patch", "update"];

    public static async Task EnsureAsync(StoreRegistry registry, CancellationToken ct)
    {
        var roles = registry.For(registry.Catalog.Find(Group, "v1", "clusterroles")!);
        var bindings = registry.For(registry.Catalog.Find(Group, "v1", "clusterrolebindings")!);
        foreach (var role in ClusterRoles())
        {
            await CreateIfMissingAsync(roles, role, ct);
        }
        foreach (var binding in ClusterRoleBindings())
        {
            await CreateIfMissingAsync(bindings, binding, ct);
        }
    }

    private static async Task CreateIfMissingAsync(ResourceStore store, JsonObject obj, CancellationToken ct)
    {
        try
        {
            await store.CreateAsync(null, obj, new WriteOptions(FieldManager: "k8ssharp-apiserver"), ct);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // Created by an earlier start, perhaps edited since.
        }
    }

    private static IEnumerable<JsonObject> ClusterRoles()
    {
        yield return Role("cluster-admin", Rule(["*"], ["*"], ["*"]), NonResource(["*"], ["*"]));
        yield return Role("system:discovery", NonResource(["get"],
            ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]));
        yield return Role("system:public-info-viewer", NonResource(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]));
        yield return Role("system:basic-user",
            Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]));
        yield return Aggregating("admin", "admin");
        yield return Aggregating("edit", "edit", aggregateTo: "admin");
        yield return Aggregating("view", "view", aggregateTo: "edit");
        yield return AggregatedInto("system:aggregate-to-view", "view", ViewRules());
        yield return AggregatedInto("system:aggregate-to-edit", "edit", EditRules());
        // metrics-server's manifest ships this role; the resource metrics API is served here, so is its reader role.
        yield return AggregatedInto("system:aggregated-metrics-reader", "view", Rule(["get", "list", "watch"], ["metrics.k8s.io"], ["pods", "nodes"]));
        yield return AggregatedInto("system:aggregate-to-admin", "admin",
            Rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            Rule([.. ReadVerbs, .. WriteVerbs], [Group], ["rolebindings", "roles"]));
    }

    private static JsonObject[] ViewRules() =>
    [
        Rule(ReadVerbs, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "pods/log",
            "pods/status", "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status", "serviceaccounts",
            "services", "services/status", "bindings", "events", "limitranges", "namespaces", "namespaces/status", "resourcequotas",
            "resourcequotas/status"]),
        Rule(ReadVerbs, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
            "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
        Rule(ReadVerbs, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
        Rule(ReadVerbs, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
        Rule(ReadVerbs, ["discovery.k8s.io"], ["endpointslices"]),
        Rule(ReadVerbs, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
        Rule(ReadVerbs, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
        Rule(ReadVerbs, ["events.k8s.io"], ["events"]),
    ];

    private static JsonObject[] EditRules() =>
    [
        Rule(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], [""],
            ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
        Rule(["impersonate"], [""], ["serviceaccounts"]),
        Rule(["create"], [""], ["pods/eviction", "serviceaccounts/token"]),
        Rule(WriteVerbs, [""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
            "secrets", "serviceaccounts", "services", "services/proxy"]),
        Rule(WriteVerbs, ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
            "replicasets/scale", "statefulsets", "statefulsets/scale"]),
        Rule(WriteVerbs, ["autoscaling"], ["horizontalpodautoscalers"]),
        Rule(WriteVerbs, ["batch"], ["cronjobs", "jobs"]),
        Rule(WriteVerbs, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
        Rule(WriteVerbs, ["policy"], ["poddisruptionbudgets"]),
        Rule(WriteVerbs, ["discovery.k8s.io"], ["endpointslices"]),
    ];

    private static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return BindingTo("cluster-admin", "system:masters");
        yield return BindingTo("system:discovery", "system:authenticated");
        yield return BindingTo("system:basic-user", "system:authenticated");
        yield return BindingTo("system:public-info-viewer", "system:authenticated", "system:unauthenticated");
    }

    private static JsonObject Role(string name, params JsonObject[] rules)
    {
        var role = Object("ClusterRole", name);
        role["rules"] = new JsonArray([.. rules]);
        return role;
    }

    private static JsonObject Aggregating(string name, string aggregateFrom, string? aggregateTo = null)
    {
        var role = Role(name);
        role["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject
            {
                ["matchLabels"] = new JsonObject { [$"rbac.authorization.k8s.io/aggregate-to-{aggregateFrom}"] = "true" },
            }),
        };
        if (aggregateTo is not null)
        {
            role["metadata"]!["labels"]![$"rbac.authorization.k8s.io/aggregate-to-{aggregateTo}"] = "true";
        }
        return role;
    }

    private static JsonObject AggregatedInto(string name, string target, params JsonObject[] rules)
    {
        var role = Role(name, rules);
        role["metadata"]!["labels"]![$"rbac.authorization.k8s.io/aggregate-to-{target}"] = "true";
        return role;
    }

    private static JsonObject BindingTo(string role, params string[] groups)
    {
        var binding = Object("ClusterRoleBinding", role);
        binding["roleRef"] = new JsonObject { ["apiGroup"] = Group, ["kind"] = "ClusterRole", ["name"] = role };
        binding["subjects"] = new JsonArray([.. groups.Select(g => new JsonObject { ["apiGroup"] = Group, ["kind"] = "Group", ["name"] = g })]);
        return binding;
    }

    private static JsonObject Object(string kind, string name) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
            ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
        },
    };

    private static JsonObject Rule(IEnumerable<string> verbs, IEnumerable<string> groups, IEnumerable<string> resources) => new()
    {
        ["apiGroups"] = Strings(groups),
        ["resources"] = Strings(resources),
        ["verbs"] = Strings(verbs),
    };

    private static JsonObject NonResource(IEnumerable<string> verbs, IEnumerable<string> urls) => new()
    {
        ["nonResourceURLs"] = Strings(urls),
        ["verbs"] = Strings(verbs),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
