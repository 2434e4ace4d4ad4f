using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Selection;

/// <summary>
/// Which field selector labels each kind accepts and what their values are for a given object.
/// <para>
/// Acceptance follows the field-label conversion functions upstream registers per group/version
/// (<c>pkg/apis/*/v1/conversion.go</c>); kinds without one accept only <c>metadata.name</c> and
/// <c>metadata.namespace</c>. Values follow the <c>GetAttrs</c>/<c>ToSelectableFields</c> functions of
/// <c>pkg/registry/*/*/strategy.go</c>, read from the wire (v1) JSON. Kinds are keyed by API group
/// ("" for core) and kind; the version is irrelevant because only stable versions are served.
/// </para>
/// </summary>
public static partial class FieldSelectorFields
{
    private static readonly string[] MetaFields = ["metadata.name", "metadata.namespace"];

    /// <summary>
    /// The selectable fields of <paramref name="obj"/>, keyed by the labels clients use for this kind.
    /// Always contains <c>metadata.name</c> and <c>metadata.namespace</c> ("" when cluster-scoped).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Extract(string group, string kind, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = obj.S("metadata", "name"),
            ["metadata.namespace"] = obj.S("metadata", "namespace"),
        };
        Find(group, kind)?.AddFields(obj, fields);
        return fields;
    }

    /// <summary>Whether a <c>fieldSelector</c> may name <paramref name="field"/> for this kind.</summary>
    public static bool IsSupported(string group, string kind, string field) =>
        Find(group, kind) is { } spec
            ? spec.Accepted.ContainsKey(field)
            : MetaFields.Contains(field, StringComparer.Ordinal);

    /// <summary>The labels a <c>fieldSelector</c> may use for this kind, sorted.</summary>
    public static IReadOnlyList<string> SupportedFields(string group, string kind) =>
        Find(group, kind) is { } spec ? [.. spec.Accepted.Keys.Order(StringComparer.Ordinal)] : MetaFields;

    /// <summary>
    /// Upstream's error text for an unsupported label, which varies by kind: e.g.
    /// <c>field label not supported: spec.foo</c> for pods, <c>field label "x" not supported for batchv1.Job</c>,
    /// and <c>"x" is not a known field selector: only "metadata.name", "metadata.namespace"</c> by default.
    /// The server returns it as a 400 BadRequest.
    /// </summary>
    public static string UnsupportedMessage(string group, string kind, string field) =>
        Find(group, kind) is { } spec ? spec.Unsupported(field) : DefaultUnsupported(field);

    /// <summary>
    /// Checks every term against the kind and rewrites legacy aliases (<c>spec.host</c> → <c>spec.nodeName</c>
    /// for pods), so the result can be matched against <see cref="Extract"/>.
    /// </summary>
    /// <exception cref="SelectorParseException">The first unsupported label, with <see cref="UnsupportedMessage"/>.</exception>
    public static FieldSelector Convert(string group, string kind, FieldSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var spec = Find(group, kind);
        var converted = new List<FieldRequirement>(selector.Requirements.Count);
        foreach (var requirement in selector.Requirements)
        {
            if (!IsSupported(group, kind, requirement.Field))
            {
                throw new SelectorParseException(UnsupportedMessage(group, kind, requirement.Field));
            }
            var canonical = spec is null ? requirement.Field : spec.Accepted[requirement.Field];
            converted.Add(requirement with { Field = canonical });
        }
        return FieldSelector.FromRequirements(converted);
    }

    private static KindSpec? Find(string group, string kind) => Specs.GetValueOrDefault((group, kind));

    /// <summary>How one kind's field selectors behave.</summary>
    /// <param name="Accepted">Accepted label → the key it is looked up under in the extracted fields.</param>
    /// <param name="Unsupported">Builds the rejection message for a label.</param>
    /// <param name="AddFields">Adds the kind-specific fields of an object.</param>
    private sealed record KindSpec(
        IReadOnlyDictionary<string, string> Accepted,
        Func<string, string> Unsupported,
        Action<JsonObject, Dictionary<string, string>> AddFields);

    private static string DefaultUnsupported(string field) =>
        $"{LabelValidation.GoQuote(field)} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";

    private static string NotSupported(string field) => "field label not supported: " + field;

    // Accepted labels map to themselves unless an alias is listed explicitly.
    private static Dictionary<string, string> Accept(IEnumerable<string> labels, params (string Alias, string Canonical)[] aliases)
    {
        var map = labels.ToDictionary(l => l, l => l, StringComparer.Ordinal);
        foreach (var (alias, canonical) in aliases)
        {
            map[alias] = canonical;
        }
        return map;
    }

    private static KindSpec Spec(string[] labels, Action<JsonObject, Dictionary<string, string>> addFields,
        Func<string, string>? unsupported = null) =>
        new(Accept(labels), unsupported ?? NotSupported, addFields);
}
