using System.Globalization;
using System.Text;

namespace K8sSharp.Api.Selection;

/// <summary>
/// One term of a label selector: a key, an operator and its values. Instances are always valid:
/// <see cref="Create"/> applies the checks of upstream <c>labels.NewRequirement</c>.
/// </summary>
public sealed class LabelRequirement
{
    private readonly string[] _values;

    private LabelRequirement(string key, LabelOperator op, string[] values)
    {
        Key = key;
        Operator = op;
        _values = values;
    }

    public string Key { get; }

    public LabelOperator Operator { get; }

    /// <summary>The values in the order given (parsing sorts and de-duplicates them, as upstream does).</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>
    /// Validates and builds a requirement. Throws <see cref="SelectorParseException"/> whose message is
    /// upstream's aggregated field error list, e.g. <c>values[0][app]: Invalid value: "-x": ...</c>.
    /// </summary>
    public static LabelRequirement Create(string key, LabelOperator op, IReadOnlyList<string>? values)
    {
        ArgumentNullException.ThrowIfNull(key);
        var vals = values?.ToArray() ?? [];
        var errors = new List<string>();
        var keyErrors = LabelValidation.LabelKeyErrors(key);
        if (keyErrors.Count > 0)
        {
            errors.Add(LabelValidation.InvalidValue("key", LabelValidation.GoQuote(key), string.Join("; ", keyErrors)));
        }
        AddOperatorErrors(op, vals, errors);
        for (var i = 0; i < vals.Length; i++)
        {
            var valueErrors = LabelValidation.LabelValueErrors(vals[i]);
            if (valueErrors.Count > 0)
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"values[{i}][{key}]");
                errors.Add(LabelValidation.InvalidValue(path, LabelValidation.GoQuote(vals[i]), string.Join("; ", valueErrors)));
            }
        }
        if (errors.Count > 0)
        {
            throw new SelectorParseException(Aggregate(errors));
        }
        return new LabelRequirement(key, op, vals);
    }

    /// <summary>Whether the label set satisfies this requirement (upstream <c>Requirement.Matches</c>).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var exists = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.DoubleEquals or LabelOperator.In => exists && _values.Contains(value),
            LabelOperator.NotEquals or LabelOperator.NotIn => !exists || !_values.Contains(value),
            LabelOperator.Exists => exists,
            LabelOperator.DoesNotExist => !exists,
            LabelOperator.GreaterThan or LabelOperator.LessThan => exists && CompareInteger(value!),
            _ => false,
        };
    }

    /// <summary>Canonical text: <c>!k</c>, <c>k</c>, <c>k=v</c>, <c>k in (a,b)</c> with values sorted.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Operator == LabelOperator.DoesNotExist)
        {
            sb.Append('!');
        }
        sb.Append(Key);
        var symbol = Operator switch
        {
            LabelOperator.Equals => "=",
            LabelOperator.DoubleEquals => "==",
            LabelOperator.NotEquals => "!=",
            LabelOperator.In => " in ",
            LabelOperator.NotIn => " notin ",
            LabelOperator.GreaterThan => ">",
            LabelOperator.LessThan => "<",
            _ => null,
        };
        if (symbol is null)
        {
            return sb.ToString();
        }
        var isSet = Operator is LabelOperator.In or LabelOperator.NotIn;
        sb.Append(symbol);
        if (isSet)
        {
            sb.Append('(');
        }
        IEnumerable<string> values = _values.Length == 1 ? _values : _values.Order(StringComparer.Ordinal);
        sb.AppendJoin(',', values);
        if (isSet)
        {
            sb.Append(')');
        }
        return sb.ToString();
    }

    private bool CompareInteger(string labelValue)
    {
        if (_values.Length != 1
            || !long.TryParse(labelValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
            || !long.TryParse(_values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
        {
            return false;
        }
        return Operator == LabelOperator.GreaterThan ? actual > bound : actual < bound;
    }

    private static void AddOperatorErrors(LabelOperator op, string[] vals, List<string> errors)
    {
        string? detail = op switch
        {
            LabelOperator.In or LabelOperator.NotIn when vals.Length == 0 =>
                "for 'in', 'notin' operators, values set can't be empty",
            LabelOperator.Equals or LabelOperator.DoubleEquals or LabelOperator.NotEquals when vals.Length != 1 =>
                "exact-match compatibility requires one single value",
            LabelOperator.Exists or LabelOperator.DoesNotExist when vals.Length != 0 =>
                "values set must be empty for exists and does not exist",
            LabelOperator.GreaterThan or LabelOperator.LessThan when vals.Length != 1 =>
                "for 'Gt', 'Lt' operators, exactly one value is required",
            _ => null,
        };
        if (detail is not null)
        {
            errors.Add(LabelValidation.InvalidValue("values", GoJsonList(vals), detail));
        }
        if (op is not (LabelOperator.GreaterThan or LabelOperator.LessThan))
        {
            return;
        }
        for (var i = 0; i < vals.Length; i++)
        {
            if (!long.TryParse(vals[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"values[{i}]");
                errors.Add(LabelValidation.InvalidValue(path, LabelValidation.GoQuote(vals[i]),
                    "for 'Gt', 'Lt' operators, the value must be an integer"));
            }
        }
    }

    // utilerrors.NewAggregate(...).Error(): a single message as is, several de-duplicated in brackets.
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }

    // json.Marshal of a []string as Go renders it in field errors; an empty slice here is always nil.
    private static string GoJsonList(string[] values) =>
        values.Length == 0 ? "null" : "[" + string.Join(",", values.Select(GoJsonString)) + "]";

    private static string GoJsonString(string value) =>
        LabelValidation.GoQuote(value).Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal);
}
