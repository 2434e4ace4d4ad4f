using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Security.Authorization;

/// <summary>
/// Upstream's <c>validation.Covers</c> (pkg/registry/rbac/validation): whether the rules a user holds cover every
/// permission of the rules it wants to grant. Requested rules are broken down into single permissions (one group,
/// resource, verb and name, or one URL and verb); a wildcard is only covered by the same wildcard.
/// </summary>
internal static class RuleCoverage
{
    /// <summary>The single permissions of <paramref name="requested"/> that no rule of <paramref name="owned"/> covers.</summary>
    public static List<PolicyRule> Missing(IReadOnlyList<PolicyRule> owned, IEnumerable<PolicyRule> requested) =>
        [.. requested.SelectMany(Breakdown).Where(atom => !owned.Any(rule => Covers(rule, atom)))];

    private static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        var names = rule.ResourceNames.Count > 0 ? rule.ResourceNames.Select(n => (IReadOnlyList<string>)[n]) : [[]];
        var resources =
            from g in rule.ApiGroups
            from r in rule.Resources
            from v in rule.Verbs
            from n in names
            select new PolicyRule([v], [g], [r], n, []);
        var urls = from u in rule.NonResourceUrls from v in rule.Verbs select new PolicyRule([v], [], [], [], [u]);
        return resources.Concat(urls);
    }

    private static bool Covers(PolicyRule owner, PolicyRule atom)
    {
        if (!Has(owner.Verbs, atom.Verbs[0]))
        {
            return false;
        }
        if (atom.NonResourceUrls.Count > 0)
        {
            var url = atom.NonResourceUrls[0];
            return owner.NonResourceUrls.Any(o => o == "*" || o == url || (o.EndsWith('*') && url.StartsWith(o[..^1], StringComparison.Ordinal)));
        }
        return Has(owner.ApiGroups, atom.ApiGroups[0])
            && owner.Resources.Any(o => ResourceCovers(o, atom.Resources[0]))
            && (owner.ResourceNames.Count == 0 || (atom.ResourceNames.Count == 1 && owner.ResourceNames.Contains(atom.ResourceNames[0])));
    }

    private static bool Has(IReadOnlyList<string> owned, string value) => owned.Contains("*") || owned.Contains(value);

    /// <summary><c>*</c> covers everything, <c>pods/*</c> every pod subresource, <c>*/status</c> every status.</summary>
    private static bool ResourceCovers(string owned, string requested)
    {
        if (owned == "*" || owned == requested)
        {
            return true;
        }
        var slash = requested.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && (owned == requested[..slash] + "/*" || owned == "*" + requested[slash..]);
    }

    /// <summary>
    /// Upstream's <c>CompactRules</c> then <c>CompactString</c>, sorted: single permissions that differ only in the
    /// verb are merged, and each rule prints as <c>{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}</c>.
    /// </summary>
    public static IEnumerable<string> Describe(IEnumerable<PolicyRule> missing)
    {
        var merged = new List<PolicyRule>();
        foreach (var rule in missing)
        {
            var index = rule.NonResourceUrls.Count > 0 ? -1 : merged.FindIndex(m => m.NonResourceUrls.Count == 0
                && m.ApiGroups.SequenceEqual(rule.ApiGroups) && m.Resources.SequenceEqual(rule.Resources) && m.ResourceNames.SequenceEqual(rule.ResourceNames));
            if (index < 0)
            {
                merged.Add(rule);
            }
            else
            {
                merged[index] = merged[index] with { Verbs = [.. merged[index].Verbs, .. rule.Verbs] };
            }
        }
        return merged.Select(CompactString).Order(StringComparer.Ordinal);
    }

    private static string CompactString(PolicyRule rule)
    {
        var parts = new List<string>();
        Add(parts, "APIGroups", rule.ApiGroups);
        Add(parts, "Resources", rule.Resources);
        Add(parts, "NonResourceURLs", rule.NonResourceUrls);
        Add(parts, "ResourceNames", rule.ResourceNames);
        Add(parts, "Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    private static void Add(List<string> parts, string label, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add($"{label}:{GoStrings(values)}");
        }
    }

    /// <summary>A string slice as Go's <c>%q</c> prints it: <c>["a" "b"]</c>.</summary>
    public static string GoStrings(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(Quote)) + "]";
}
