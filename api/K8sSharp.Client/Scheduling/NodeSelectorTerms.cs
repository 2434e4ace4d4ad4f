using System.Globalization;
using k8s.Models;

namespace K8sSharp.Client.Scheduling;

/// <summary>
/// Node selection as upstream's component-helpers nodeaffinity evaluates it, shared by the scheduler, the DaemonSet
/// controller and volume node affinity: terms are ORed; inside a term every matchExpression (on labels) and every
/// matchField (only metadata.name exists) must hold; a term with neither matches nothing.
/// </summary>
public static class NodeSelectorTerms
{
    /// <summary>A pod's nodeSelector (every pair) and required node affinity (any term) both match the node.</summary>
    public static bool MatchesRequiredAffinity(V1PodSpec spec, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if (spec.NodeSelector is { } selector && !selector.All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value))
        {
            return false;
        }
        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        return terms is null || MatchesAny(terms, node);
    }

    public static bool MatchesAny(IEnumerable<V1NodeSelectorTerm>? terms, V1Node node) =>
        terms?.Any(t => Matches(t, node)) ?? false;

    public static bool Matches(V1NodeSelectorTerm term, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentNullException.ThrowIfNull(node);
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        var nodeFields = new Dictionary<string, string> { ["metadata.name"] = node.Metadata.Name };
        return expressions.All(e => Matches(e, labels)) && fields.All(f => f.Key == "metadata.name" && Matches(f, nodeFields));
    }

    private static bool Matches(V1NodeSelectorRequirement requirement, IDictionary<string, string> values)
    {
        var present = values.TryGetValue(requirement.Key, out var value);
        var wanted = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && wanted.Contains(value!),
            "NotIn" => !present || !wanted.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            "Gt" => present && Compare(value!, wanted) is > 0,
            "Lt" => present && Compare(value!, wanted) is < 0,
            _ => false,
        };
    }

    /// <summary>Gt/Lt take exactly one integer value; anything unparsable does not match.</summary>
    private static int? Compare(string value, IList<string> wanted) =>
        wanted.Count == 1
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
        && long.TryParse(wanted[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound)
            ? actual.CompareTo(bound)
            : null;
}
