using System.Text.RegularExpressions;

namespace K8sSharp.ApiServer.Registry;

/// <summary>Name rules of apimachinery's <c>validation</c> package; each returns the error message or null.</summary>
internal static partial class Names
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string Label1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label1035Pattern();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValuePattern();

    public static string? Subdomain(string name) =>
        name.Length > 253 ? "must be no more than 253 characters" : SubdomainPattern().IsMatch(name) ? null : SubdomainMessage;

    public static string? Label(string name) =>
        name.Length > 63 ? "must be no more than 63 characters" : LabelPattern().IsMatch(name) ? null : LabelMessage;

    public static string? Label1035(string name) =>
        name.Length > 63 ? "must be no more than 63 characters" : Label1035Pattern().IsMatch(name) ? null : Label1035Message;

    /// <summary>Kinds whose names only need to be valid path segments (RBAC, for instance).</summary>
    public static string? PathSegment(string name) =>
        name is "." or ".." ? $"may not be '{name}'" : name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal) ? "may not contain '/' or '%'" : null;

    /// <summary>A label or annotation key: an optional DNS subdomain prefix and a name of at most 63 characters.</summary>
    public static string? QualifiedName(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && (key[..slash].Length == 0 || Subdomain(key[..slash]) is not null))
        {
            return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
        }
        if (name.Length is 0 or > 63 || !LabelValuePattern().IsMatch(name))
        {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with at most 63 characters";
        }
        return null;
    }

    public static string? LabelValue(string value) =>
        value.Length > 63 ? "must be no more than 63 characters"
        : LabelValuePattern().IsMatch(value) ? null
        : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
}
