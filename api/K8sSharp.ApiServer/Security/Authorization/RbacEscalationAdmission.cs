using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>
/// RBAC's escalation prevention (upstream's <c>pkg/registry/rbac/*/policybased</c> storage): a Role or ClusterRole
/// may only be written with rules the requester already holds (where the role applies), unless it may
/// <c>escalate</c> that role; a RoleBinding or ClusterRoleBinding only to a role whose rules the requester holds,
/// unless it may <c>bind</c> that role. <c>system:masters</c> and the server's own writes are exempt. An update that
/// changes nothing but the garbage collector's fields (owner references, finalizers) is never checked.
/// </summary>
internal sealed class RbacEscalationAdmission(ApiResource resource, Func<RbacAuthorizer> authorizer, StoreRegistry registry) : IStoreHooks
{
    private const string Group = "rbac.authorization.k8s.io";
    private static readonly Func<bool, Task> Nothing = _ => Task.CompletedTask;

    public static bool Handles(ApiResource resource) =>
        resource.Group == Group && resource.Name is "roles" or "clusterroles" or "rolebindings" or "clusterrolebindings";

    private bool IsBinding => resource.Name.EndsWith("bindings", StringComparison.Ordinal);

    public async Task<Func<bool, Task>> BeginCreateAsync(JsonObject obj, bool dryRun, CancellationToken ct)
    {
        await CheckAsync(obj, ct);
        return Nothing;
    }

    public async Task<Func<bool, Task>> BeginUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken ct)
    {
        if (!OnlyGarbageCollectorFieldsChanged(updated, old))
        {
            await CheckAsync(updated, ct);
        }
        return Nothing;
    }

    public Task AfterDeleteAsync(JsonObject deleted, CancellationToken ct) => Task.CompletedTask;

    private async Task CheckAsync(JsonObject obj, CancellationToken ct)
    {
        if (RequestUser.Current is not { } user || user.Groups.Contains(RbacAuthorizer.MastersGroup))
        {
            return;
        }
        var ns = obj.Namespace() ?? "";
        if (IsBinding)
        {
            await CheckBindingAsync(obj, user, ns, ct);
        }
        else
        {
            CheckRole(obj, user, ns);
        }
    }

    private void CheckRole(JsonObject role, UserInfo user, string ns)
    {
        if (Allowed(user, "escalate", resource.Name, ns, role.Name() ?? ""))
        {
            return;
        }
        if (role["aggregationRule"] is JsonObject && RuleCoverage.Missing(authorizer().RulesFor(user, ns), FullAuthority).Count > 0)
        {
            throw Forbidden(role, "must have cluster-admin privileges to use the aggregationRule");
        }
        ConfirmNoEscalation(role, user, ns, [.. (role["rules"] as JsonArray ?? []).Select(PolicyRule.From)]);
    }

    private async Task CheckBindingAsync(JsonObject binding, UserInfo user, string ns, CancellationToken ct)
    {
        var kind = (string?)binding["roleRef"]?["kind"] ?? "";
        var name = (string?)binding["roleRef"]?["name"] ?? "";
        var roleResource = kind == "Role" ? "roles" : "clusterroles";
        if (Allowed(user, "bind", roleResource, ns, name))
        {
            return;
        }
        var policy = authorizer().Policy;
        var rules = (kind == "Role" ? policy.Roles.GetValueOrDefault((ns, name)) : policy.ClusterRoles.GetValueOrDefault(name))
            ?? await StoredRulesAsync(roleResource, kind == "Role" ? ns : null, name, ct);
        ConfirmNoEscalation(binding, user, ns, rules ?? throw ApiException.NotFound(Group, roleResource, name));
    }

    /// <summary>
    /// The rules of a role the policy cache has not seen yet (created a moment ago), read from storage as upstream's
    /// registry-backed role getter does; null when the role does not exist.
    /// </summary>
    private async Task<IReadOnlyList<PolicyRule>?> StoredRulesAsync(string roleResource, string? ns, string name, CancellationToken ct)
    {
        try
        {
            var role = await registry.For(registry.Catalog.Find(Group, "v1", roleResource)!).GetAsync(ns, name, ct);
            return [.. (role["rules"] as JsonArray ?? []).Select(PolicyRule.From)];
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private void ConfirmNoEscalation(JsonObject obj, UserInfo user, string ns, IReadOnlyList<PolicyRule> rules)
    {
        var missing = RuleCoverage.Missing(authorizer().RulesFor(user, ns), rules);
        if (missing.Count > 0)
        {
            throw Forbidden(obj, $"user {FieldQuote(user.Name)} (groups={RuleCoverage.GoStrings(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n"
                + string.Join("\n", RuleCoverage.Describe(missing)));
        }
    }

    private bool Allowed(UserInfo user, string verb, string roleResource, string ns, string name) =>
        authorizer().Authorize(user, new AuthorizationAttributes(verb, true, Group, roleResource, "", ns, name)).Allowed;

    /// <summary><c>errors.NewForbidden(groupResource, name, err)</c>.</summary>
    private ApiException Forbidden(JsonObject obj, string reason) =>
        new(403, "Forbidden", $"{resource.Name}.{Group} {FieldQuote(obj.Name() ?? "")} is forbidden: {reason}",
            new JsonObject { ["name"] = obj.Name(), ["group"] = Group, ["kind"] = resource.Name });

    private static string FieldQuote(string text) => Registry.Validation.FieldErrors.Quote(text);

    private static readonly PolicyRule[] FullAuthority = [new(["*"], ["*"], ["*"], [], []), new(["*"], [], [], [], ["*"])];

    private static bool OnlyGarbageCollectorFieldsChanged(JsonObject updated, JsonObject old)
    {
        static JsonObject WithoutGcFields(JsonObject obj)
        {
            var copy = obj.DeepClone().AsObject();
            if (copy["metadata"] is JsonObject metadata)
            {
                foreach (var field in new[] { "ownerReferences", "finalizers", "resourceVersion", "managedFields", "generation" })
                {
                    metadata.Remove(field);
                }
            }
            return copy;
        }
        return JsonNode.DeepEquals(WithoutGcFields(updated), WithoutGcFields(old));
    }
}
