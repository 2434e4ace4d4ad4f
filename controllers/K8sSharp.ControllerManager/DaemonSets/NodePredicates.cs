using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>
/// The scheduling predicates a DaemonSet checks itself (upstream component-helpers nodeaffinity and
/// v1helper.TolerationsTolerateTaint): the pod's nodeSelector and required node affinity against the node's labels
/// and name, and its tolerations against the node's taints.
/// </summary>
internal static class NodePredicates
{
    /// <summary>nodeSelector (every pair) and required node affinity (any term, each wholly) match the node.</summary>
    public static bool MatchesRequiredAffinity(V1PodSpec spec, V1Node node)
    {
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if (spec.NodeSelector is { } selector && !selector.All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value))
        {
            return false;
        }
        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        return terms is null || terms.Any(t => Matches(t, node));
    }

    /// <summary>One node selector term: all its label expressions and field expressions hold; an empty term matches nothing.</summary>
    public static bool Matches(V1NodeSelectorTerm term, V1Node node)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        var nodeFields = new Dictionary<string, string> { ["metadata.name"] = node.Metadata.Name };
        return expressions.All(e => Matches(e, labels)) && fields.All(f => Matches(f, nodeFields));
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

    /// <summary>Gt/Lt compare integers; anything unparsable does not match.</summary>
    private static int? Compare(string value, IList<string> wanted) =>
        wanted.Count == 1
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
        && long.TryParse(wanted[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound)
            ? actual.CompareTo(bound)
            : null;

    /// <summary>The first taint with one of <paramref name="effects"/> that no toleration tolerates, or null.</summary>
    public static V1Taint? FirstUntoleratedTaint(IEnumerable<V1Taint>? taints, IList<V1Toleration>? tolerations, params string[] effects) =>
        (taints ?? []).FirstOrDefault(t => effects.Contains(t.Effect) && !(tolerations ?? []).Any(tol => Tolerates(tol, t)));

    /// <summary>Upstream Toleration.ToleratesTaint: effect (empty matches all), key (empty with Exists matches all), value.</summary>
    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }
        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }
        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            "Equal" or "" or null => !string.IsNullOrEmpty(toleration.Key) && (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty),
            _ => false,
        };
    }
}
