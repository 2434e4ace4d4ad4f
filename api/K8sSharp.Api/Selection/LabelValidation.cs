using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace K8sSharp.Api.Selection;

/// <summary>
/// Label key/value syntax checks with the messages of k8s.io/apimachinery/pkg/api/validate/content
/// (v0.35): keys are qualified names (optional DNS-1123 subdomain prefix, '/', name of at most 63 bytes),
/// values are empty or name-like and at most 63 bytes.
/// </summary>
internal static partial class LabelValidation
{
    private const string LabelKeyFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFormat = "(" + LabelKeyFormat + ")?";
    private const string Dns1123SubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string LabelKeyMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    public const int MaxNameLength = 63;
    public const int MaxSubdomainLength = 253;

    [GeneratedRegex("^" + LabelKeyFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKeyRegex();

    [GeneratedRegex("^" + LabelValueFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^" + Dns1123SubdomainFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SubdomainRegex();

    /// <summary>Problems with a label key; empty when valid.</summary>
    public static List<string> LabelKeyErrors(string key)
    {
        var errors = new List<string>();
        var parts = key.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                AddPrefixErrors(parts[0], errors);
                break;
            default:
                errors.Add("a valid label key " + RegexError(LabelKeyMessage, LabelKeyFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (Encoding.UTF8.GetByteCount(name) > MaxNameLength)
        {
            errors.Add("name part " + MaxLenError(MaxNameLength));
        }
        if (!LabelKeyRegex().IsMatch(name))
        {
            errors.Add("name part " + RegexError(LabelKeyMessage, LabelKeyFormat, "MyName", "my.name", "123-abc"));
        }
        return errors;
    }

    /// <summary>Problems with a label value; empty when valid.</summary>
    public static List<string> LabelValueErrors(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > MaxNameLength)
        {
            errors.Add(MaxLenError(MaxNameLength));
        }
        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(RegexError(LabelValueMessage, LabelValueFormat, "MyValue", "my_value", "12345"));
        }
        return errors;
    }

    /// <summary>
    /// Formats a field.Error of type Invalid the way Go does: <c>path: Invalid value: "v": detail</c>.
    /// A nil path prints as <c>&lt;nil&gt;</c>, which is what label selector parsing produces for keys.
    /// </summary>
    public static string InvalidValue(string? path, string renderedValue, string detail) =>
        $"{path ?? "<nil>"}: Invalid value: {renderedValue}: {detail}";

    /// <summary>Go's %q for a string: double quotes with backslash escapes for quotes and control characters.</summary>
    public static string GoQuote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => c < 0x80
                    ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)
                    : "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    private static void AddPrefixErrors(string prefix, List<string> errors)
    {
        if (prefix.Length == 0)
        {
            errors.Add("prefix part must be non-empty");
            return;
        }
        if (Encoding.UTF8.GetByteCount(prefix) > MaxSubdomainLength)
        {
            errors.Add("prefix part " + MaxLenError(MaxSubdomainLength));
        }
        if (!SubdomainRegex().IsMatch(prefix))
        {
            errors.Add("prefix part " + RegexError(SubdomainMessage, Dns1123SubdomainFormat, "example.com"));
        }
    }

    private static string MaxLenError(int length) =>
        string.Create(CultureInfo.InvariantCulture, $"must be no more than {length} bytes");

    // Reproduces upstream's example list formatting, including its double space before "or".
    private static string RegexError(string message, string regex, params string[] examples)
    {
        var sb = new StringBuilder(message).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" or ");
            }
            sb.Append('\'').Append(examples[i]).Append("', ");
        }
        return sb.Append("regex used for validation is '").Append(regex).Append("')").ToString();
    }
}
