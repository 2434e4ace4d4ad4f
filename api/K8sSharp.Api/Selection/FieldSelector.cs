using System.Globalization;
using System.Text;

namespace K8sSharp.Api.Selection;

/// <summary>Operators of field selector terms (upstream maps <c>==</c> to <see cref="Equals"/>).</summary>
public enum FieldOperator
{
    Equals,
    NotEquals,
}

/// <summary>One <c>field=value</c> or <c>field!=value</c> term, value already unescaped.</summary>
public sealed record FieldRequirement(string Field, FieldOperator Operator, string Value)
{
    /// <summary>Upstream text form, with <c>\</c>, <c>,</c> and <c>=</c> in the value escaped.</summary>
    public override string ToString() =>
        Field + (Operator == FieldOperator.Equals ? "=" : "!=") + FieldSelector.EscapeValue(Value);
}

/// <summary>
/// A field selector (k8s.io/apimachinery/pkg/fields): comma-separated AND of <c>f=v</c>, <c>f==v</c>,
/// <c>f!=v</c> terms. Values may escape <c>\,</c> <c>\=</c> <c>\\</c>; field names are taken verbatim
/// (no whitespace trimming, no escaping) up to the first operator. Terms are kept sorted by their raw text,
/// as upstream does. Which fields a kind supports is <see cref="FieldSelectorFields"/>' business.
/// </summary>
public sealed class FieldSelector
{
    private readonly FieldRequirement[] _requirements;

    private FieldSelector(FieldRequirement[] requirements) => _requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements => _requirements;

    public bool IsEmpty => _requirements.Length == 0;

    /// <summary>Parses the <c>fieldSelector</c> query syntax; null or empty selects everything.</summary>
    /// <exception cref="SelectorParseException">Upstream's message, e.g. <c>invalid selector: 'x'; can't understand 'x'</c>.</exception>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Everything;
        }
        var terms = SplitTerms(text);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>();
        foreach (var term in terms)
        {
            if (term.Length == 0)
            {
                continue;
            }
            if (!TrySplitTerm(term, out var field, out var op, out var rawValue))
            {
                throw new SelectorParseException($"invalid selector: '{text}'; can't understand '{term}'");
            }
            var value = UnescapeValue(rawValue);
            // Upstream's identity transform drops terms whose field and value are both empty ("=").
            if (field.Length > 0 || value.Length > 0)
            {
                requirements.Add(new FieldRequirement(field, op, value));
            }
        }
        return requirements.Count == 0 ? Everything : new FieldSelector([.. requirements]);
    }

    /// <summary>Parses like <see cref="Parse"/> but reports failure instead of throwing.</summary>
    public static bool TryParse(string? text, out FieldSelector selector, out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (SelectorParseException e)
        {
            selector = Everything;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A selector over the given requirements, in the given order.</summary>
    public static FieldSelector FromRequirements(IEnumerable<FieldRequirement> requirements) =>
        new([.. requirements]);

    /// <summary>
    /// Whether the object's selectable fields satisfy every term. A field absent from the map compares
    /// as "" (upstream <c>fields.Set.Get</c>), so <c>f!=x</c> matches objects without <c>f</c>.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var r in _requirements)
        {
            var actual = fields.TryGetValue(r.Field, out var v) ? v : "";
            var equal = string.Equals(actual, r.Value, StringComparison.Ordinal);
            if (equal != (r.Operator == FieldOperator.Equals))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The value a term requires for <paramref name="field"/> (first <c>=</c> term), if any.</summary>
    public bool RequiresExactMatch(string field, out string value)
    {
        foreach (var r in _requirements)
        {
            if (r.Operator == FieldOperator.Equals && string.Equals(r.Field, field, StringComparison.Ordinal))
            {
                value = r.Value;
                return true;
            }
        }
        value = "";
        return false;
    }

    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));

    /// <summary>Escapes <c>\</c>, <c>,</c> and <c>=</c> with a backslash for use in a selector value.</summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("=", "\\=", StringComparison.Ordinal);
    }

    /// <summary>Reverses <see cref="EscapeValue"/>; bare <c>,</c>/<c>=</c> and unknown escapes are errors.</summary>
    public static string UnescapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny("\\,=") < 0)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        var inSlash = false;
        foreach (var c in value)
        {
            if (inSlash)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: \\" + c);
                }
                sb.Append(c);
                inSlash = false;
            }
            else if (c == '\\')
            {
                inSlash = true;
            }
            else if (c is ',' or '=')
            {
                // Go prints the rune with %v, i.e. its code point number.
                throw new SelectorParseException("invalid field selector: unescaped character in value: "
                    + ((int)c).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        if (inSlash)
        {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }
        return sb.ToString();
    }

    // Splits on commas not escaped by a backslash; escapes stay in the terms for UnescapeValue.
    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inSlash)
            {
                inSlash = false;
            }
            else if (c == '\\')
            {
                inSlash = true;
            }
            else if (c == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }
        terms.Add(text[start..]);
        return terms;
    }

    // The first position where "!=", "==" or "=" starts splits the term (checked in that order).
    private static bool TrySplitTerm(string term, out string field, out FieldOperator op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            var rest = term.AsSpan(i);
            var length = rest.StartsWith("!=") || rest.StartsWith("==") ? 2 : rest.StartsWith("=") ? 1 : 0;
            if (length > 0)
            {
                field = term[..i];
                op = rest[0] == '!' ? FieldOperator.NotEquals : FieldOperator.Equals;
                value = term[(i + length)..];
                return true;
            }
        }
        field = value = "";
        op = FieldOperator.Equals;
        return false;
    }
}
