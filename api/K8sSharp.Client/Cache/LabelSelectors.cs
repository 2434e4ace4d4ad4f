using k8s.Models;

namespace K8sSharp.Client.Cache;

/// <summary>
/// Label matching with the semantics of apimachinery's LabelSelectorAsSelector: all matchLabels and all
/// matchExpressions must hold; an empty selector matches everything; a null selector matches nothing.
/// </summary>
public static class LabelSelectors
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }
        labels ??= new Dictionary<string, string>();
        if (selector.MatchLabels is { } matchLabels && !Matches(matchLabels, labels))
        {
            return false;
        }
        return selector.MatchExpressions?.All(e => Matches(e, labels)) ?? true;
    }

    /// <summary>True when every pair of <paramref name="required"/> is present in <paramref name="labels"/>.</summary>
    public static bool Matches(IDictionary<string, string> required, IDictionary<string, string>? labels)
    {
        ArgumentNullException.ThrowIfNull(required);
        return required.All(pair => labels is not null && labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }

    /// <summary>
    /// Parses the string form of a selector (labels.Selector's String(), as a Scale's <c>status.selector</c> carries
    /// it): comma-separated <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> and
    /// <c>!k</c>. The empty string selects everything. Throws <see cref="FormatException"/> on anything else.
    /// </summary>
    public static V1LabelSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var expressions = SplitTerms(text).Select(ParseTerm).ToList();
        return new V1LabelSelector { MatchExpressions = expressions };
    }

    /// <summary>Top-level commas separate terms; commas inside <c>( )</c> separate values.</summary>
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ',';
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0)
            {
                var term = text[start..i].Trim();
                if (term.Length > 0 || i < text.Length)
                {
                    yield return term;
                }
                start = i + 1;
            }
        }
    }

    private static V1LabelSelectorRequirement ParseTerm(string term)
    {
        if (term.StartsWith('!') && !term.Contains('='))
        {
            return Requirement(term[1..], "DoesNotExist", null);
        }
        var words = term.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2 && (words[1].StartsWith("in", StringComparison.Ordinal) || words[1].StartsWith("notin", StringComparison.Ordinal)))
        {
            var op = words[1].StartsWith("in", StringComparison.Ordinal) ? "In" : "NotIn";
            var set = words[1][(op == "In" ? 2 : 5)..].Trim();
            if (!set.StartsWith('(') || !set.EndsWith(')'))
            {
                throw new FormatException($"unable to parse requirement: found '{set}', expected: '('");
            }
            return Requirement(words[0], op, set[1..^1].Split(',', StringSplitOptions.TrimEntries));
        }
        foreach (var (token, op) in new[] { ("!=", "NotIn"), ("==", "In"), ("=", "In") })
        {
            var at = term.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                return Requirement(term[..at], op, [term[(at + token.Length)..].Trim()]);
            }
        }
        return Requirement(term, "Exists", null);
    }

    private static V1LabelSelectorRequirement Requirement(string key, string op, IList<string>? values)
    {
        key = key.Trim();
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!'))
        {
            throw new FormatException($"invalid label key \"{key}\"");
        }
        return new V1LabelSelectorRequirement { Key = key, OperatorProperty = op, Values = values };
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => throw new ArgumentException($"unknown label selector operator \"{requirement.OperatorProperty}\""),
        };
    }
}
