using System.Text.Json.Nodes;

namespace K8sSharp.Api.Quota;

/// <summary>
/// How quota measures one kind of object (upstream's <c>quota.Evaluator</c>): which quota resource names it
/// answers for, the usage one object charges, the constraints an object must meet to be admitted under a quota, and
/// which quota scopes it falls in. Objects are the wire JSON, so the API server and the controller share evaluators.
/// </summary>
public interface IQuotaEvaluator
{
    string Group { get; }

    string Resource { get; }

    /// <summary>Whether an update can change the usage (services, claims); others are charged on create only.</summary>
    bool ChargesUpdates { get; }

    /// <summary>The names among <paramref name="names"/> (a quota's hard resources) this evaluator measures.</summary>
    IReadOnlyList<string> MatchingResources(IEnumerable<string> names);

    ResourceList Usage(JsonObject obj, DateTimeOffset now);

    /// <summary>Why <paramref name="obj"/> cannot be admitted under a quota on <paramref name="required"/>; null when it can.</summary>
    string? Constraints(IReadOnlyCollection<string> required, JsonObject obj);

    /// <summary>Whether the object falls in a scope (<c>spec.scopes</c> or one <c>scopeSelector</c> expression).</summary>
    bool MatchesScope(ScopeRequirement scope, JsonObject obj);
}

/// <summary>One quota scope: a plain scope name is <c>Exists</c>; <c>scopeSelector</c> expressions carry their operator and values.</summary>
public sealed record ScopeRequirement(string ScopeName, string Operator, IReadOnlyList<string> Values);
