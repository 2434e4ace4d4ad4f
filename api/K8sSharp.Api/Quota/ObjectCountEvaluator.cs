using System.Text.Json.Nodes;

namespace K8sSharp.Api.Quota;

/// <summary>
/// Counts objects of one resource (upstream's generic object-count evaluator): <c>count/&lt;resource&gt;.&lt;group&gt;</c>
/// (<c>count/&lt;resource&gt;</c> in the core group) and, for a few core kinds, the legacy name (<c>configmaps</c>,
/// <c>secrets</c>, <c>resourcequotas</c>, <c>replicationcontrollers</c>). Charged on create; no scopes apply.
/// </summary>
public class ObjectCountEvaluator(string group, string resource, params string[] aliases) : IQuotaEvaluator
{
    public string Group { get; } = group;

    public string Resource { get; } = resource;

    public string CountName { get; } = CountNameFor(group, resource);

    public virtual bool ChargesUpdates => false;

    public static string CountNameFor(string group, string resource) =>
        group.Length == 0 ? $"count/{resource}" : $"count/{resource}.{group}";

    public virtual IReadOnlyList<string> MatchingResources(IEnumerable<string> names) =>
        [.. names.Where(n => n == CountName || aliases.Contains(n))];

    public virtual ResourceList Usage(JsonObject obj, DateTimeOffset now)
    {
        var usage = new ResourceList { [CountName] = Quantity.Of(1) };
        foreach (var alias in aliases)
        {
            usage[alias] = Quantity.Of(1);
        }
        return usage;
    }

    public virtual string? Constraints(IReadOnlyCollection<string> required, JsonObject obj) => null;

    public virtual bool MatchesScope(ScopeRequirement scope, JsonObject obj) => false;
}
