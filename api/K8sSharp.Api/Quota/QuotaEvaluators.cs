using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Quota;

/// <summary>
/// The evaluator of every resource (upstream's quota registry): pods, Services and claims have their own; the core
/// kinds with a legacy quota name count under it too; any other resource is counted as <c>count/&lt;resource&gt;.&lt;group&gt;</c>.
/// Events are never charged (upstream's ignored resources).
/// </summary>
public static class QuotaEvaluators
{
    private static readonly string[] LegacyCounted = ["configmaps", "secrets", "resourcequotas", "replicationcontrollers"];

    /// <summary>The evaluator for a resource; null for resources quota ignores.</summary>
    public static IQuotaEvaluator? For(string group, string resource) => (group, resource) switch
    {
        ("", "events") or ("events.k8s.io", "events") => null,
        ("", "pods") => new PodQuotaEvaluator(),
        ("", "services") => new ServiceQuotaEvaluator(),
        ("", "persistentvolumeclaims") => new ClaimQuotaEvaluator(),
        ("", _) when LegacyCounted.Contains(resource) => new ObjectCountEvaluator(group, resource, resource),
        _ => new ObjectCountEvaluator(group, resource),
    };

    /// <summary>The (group, resource) a quota resource name is charged by, for the names that name one.</summary>
    public static (string Group, string Resource)? ResourceOf(string quotaName)
    {
        if (quotaName.StartsWith("count/", StringComparison.Ordinal))
        {
            var rest = quotaName["count/".Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? ("", rest) : (rest[(dot + 1)..], rest[..dot]);
        }
        return quotaName switch
        {
            "pods" or "cpu" or "memory" or "ephemeral-storage" => ("", "pods"),
            _ when quotaName.StartsWith("requests.", StringComparison.Ordinal) && quotaName != "requests.storage" => ("", "pods"),
            _ when quotaName.StartsWith("limits.", StringComparison.Ordinal) || quotaName.StartsWith("hugepages-", StringComparison.Ordinal) => ("", "pods"),
            "services" or "services.nodeports" or "services.loadbalancers" => ("", "services"),
            "persistentvolumeclaims" or "requests.storage" => ("", "persistentvolumeclaims"),
            _ when quotaName.Contains(".storageclass.storage.k8s.io/", StringComparison.Ordinal) => ("", "persistentvolumeclaims"),
            _ when LegacyCounted.Contains(quotaName) => ("", quotaName),
            _ => null,
        };
    }

    /// <summary>The quota's scopes: <c>spec.scopes</c> (each an Exists) and <c>spec.scopeSelector.matchExpressions</c>.</summary>
    public static IReadOnlyList<ScopeRequirement> Scopes(JsonObject quota) =>
    [
        .. quota.Arr("spec", "scopes").Select(s => new ScopeRequirement(s?.GetValue<string>() ?? "", "Exists", [])),
        .. quota.Objects("spec", "scopeSelector", "matchExpressions").Select(e => new ScopeRequirement(
            e.S("scopeName"), e.S("operator"), [.. e.Arr("values").Select(v => v?.GetValue<string>() ?? "")])),
    ];

    /// <summary>
    /// The quota resource names among <paramref name="hard"/> that <paramref name="evaluator"/> charges for
    /// <paramref name="obj"/>: none when the object falls outside one of the quota's scopes.
    /// </summary>
    public static IReadOnlyList<string> Interesting(IQuotaEvaluator evaluator, IEnumerable<string> hard, IReadOnlyList<ScopeRequirement> scopes, JsonObject obj) =>
        scopes.All(s => evaluator.MatchesScope(s, obj)) ? evaluator.MatchingResources(hard) : [];
}
