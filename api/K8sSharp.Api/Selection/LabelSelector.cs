using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Selection;

/// <summary>
/// A label selector: the AND of its requirements, kept sorted by key so <see cref="ToString"/> is the
/// canonical upstream form. Immutable and thread-safe.
/// </summary>
public sealed class LabelSelector
{
    private readonly LabelRequirement[] _requirements;

    private LabelSelector(LabelRequirement[] requirements, bool matchesNothing)
    {
        _requirements = requirements;
        MatchesNothing = matchesNothing;
    }

    /// <summary>Matches every object (an empty selector).</summary>
    public static LabelSelector Everything { get; } = new([], matchesNothing: false);

    /// <summary>Matches no object; what a null <c>metav1.LabelSelector</c> converts to.</summary>
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    public IReadOnlyList<LabelRequirement> Requirements => _requirements;

    /// <summary>True when the selector does not restrict anything (and is not <see cref="Nothing"/>).</summary>
    public bool IsEmpty => !MatchesNothing && _requirements.Length == 0;

    public bool MatchesNothing { get; }

    /// <summary>
    /// Parses the <c>labelSelector</c> query syntax. Null, empty or blank text selects everything.
    /// </summary>
    /// <exception cref="SelectorParseException">With upstream's message, e.g. <c>unable to parse requirement: ...</c>.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Everything;
        }
        var parsed = new LabelSelectorParser(text).Parse();
        return parsed.Count == 0 ? Everything : FromRequirements(parsed);
    }

    /// <summary>Parses like <see cref="Parse"/> but reports failure instead of throwing.</summary>
    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (SelectorParseException e)
        {
            selector = Nothing;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A selector from already validated requirements (sorted by key here).</summary>
    public static LabelSelector FromRequirements(IEnumerable<LabelRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        // Stable ordinal sort by key, like upstream's sort.Sort(ByKey) on the small lists it sees.
        var sorted = requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? Everything : new LabelSelector(sorted, matchesNothing: false);
    }

    /// <summary>
    /// Converts a <c>metav1.LabelSelector</c> (<c>{matchLabels, matchExpressions}</c>) like upstream
    /// <c>LabelSelectorAsSelector</c>: null selects nothing, an empty object selects everything.
    /// </summary>
    /// <exception cref="SelectorParseException">An unknown operator or invalid key/values.</exception>
    public static LabelSelector FromJson(JsonObject? metav1LabelSelector)
    {
        if (metav1LabelSelector is null)
        {
            return Nothing;
        }
        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in metav1LabelSelector.StringMap("matchLabels"))
        {
            requirements.Add(LabelRequirement.Create(key, LabelOperator.Equals, [value]));
        }
        foreach (var expression in metav1LabelSelector.Objects("matchExpressions"))
        {
            requirements.Add(FromExpression(expression));
        }
        return FromRequirements(requirements);
    }

    /// <summary>Whether the labels satisfy every requirement. Null labels are treated as no labels.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        if (MatchesNothing)
        {
            return false;
        }
        labels ??= EmptyLabels;
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Matches against a <c>metadata.labels</c> JSON object; non-string entries are ignored.</summary>
    public bool Matches(JsonObject? labelsNode) => Matches(labelsNode.StringMap());

    /// <summary>The canonical form: requirements sorted by key, joined with ","; "" for Everything/Nothing.</summary>
    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();

    private static LabelRequirement FromExpression(JsonObject expression)
    {
        var operatorText = expression.S("operator");
        LabelOperator op = operatorText switch
        {
            "In" => LabelOperator.In,
            "NotIn" => LabelOperator.NotIn,
            "Exists" => LabelOperator.Exists,
            "DoesNotExist" => LabelOperator.DoesNotExist,
            _ => throw new SelectorParseException(
                LabelValidation.GoQuote(operatorText) + " is not a valid label selector operator"),
        };
        var values = expression.Arr("values").Select(v => v.S()).ToList();
        return LabelRequirement.Create(expression.S("key"), op, values);
    }
}
