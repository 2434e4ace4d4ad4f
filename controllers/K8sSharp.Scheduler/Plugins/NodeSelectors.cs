using k8s.Models;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>
/// Node selector terms as upstream's nodeaffinity helper evaluates them: terms are ORed; inside a term every
/// matchExpression (on labels) and every matchField (only metadata.name exists) must hold; a term with neither
/// matches nothing.
/// </summary>
internal static class NodeSelectors
{
    public static bool MatchesAnyTerm(IEnumerable<V1NodeSelectorTerm>? terms, V1Node node) =>
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

    private static bool Matches(V1NodeSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            "Gt" => present && Compare(value!, values) is > 0,
            "Lt" => present && Compare(value!, values) is < 0,
            _ => false,
        };
    }

    /// <summary>Gt/Lt take exactly one integer value; anything else does not match.</summary>
    private static int? Compare(string labelValue, IList<string> values) =>
        values.Count == 1 && long.TryParse(labelValue, out var left) && long.TryParse(values[0], out var right) ? left.CompareTo(right) : null;
}
