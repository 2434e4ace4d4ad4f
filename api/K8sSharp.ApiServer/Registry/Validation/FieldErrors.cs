using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry.Validation;

/// <summary>
/// apimachinery's <c>field.Error</c> constructors: each builds the <see cref="StatusCause"/> with the reason and the
/// <c>ErrorBody</c> text upstream returns (<c>Required value</c>, <c>Invalid value: …</c>, …), values printed as Go
/// prints them: strings quoted, numbers bare, string maps as <c>map[string]string{…}</c>.
/// </summary>
internal static class FieldErrors
{
    public static StatusCause Required(string field, string detail = "") =>
        new("FieldValueRequired", WithDetail("Required value", detail), field);

    public static StatusCause Invalid(string field, JsonNode? value, string detail) =>
        new("FieldValueInvalid", WithDetail($"Invalid value: {GoValue(value)}", detail), field);

    public static StatusCause Invalid(string field, string goValue, string detail, bool raw) =>
        new("FieldValueInvalid", WithDetail($"Invalid value: {(raw ? goValue : Quote(goValue))}", detail), field);

    public static StatusCause Forbidden(string field, string detail) =>
        new("FieldValueForbidden", WithDetail("Forbidden", detail), field);

    public static StatusCause Duplicate(string field, JsonNode? value) =>
        new("FieldValueDuplicate", $"Duplicate value: {GoValue(value)}", field);

    public static StatusCause NotFound(string field, JsonNode? value) =>
        new("FieldValueNotFound", $"Not found: {GoValue(value)}", field);

    public static StatusCause NotSupported(string field, JsonNode? value, params string[] supported) =>
        new("FieldValueNotSupported",
            $"Unsupported value: {GoValue(value)}: supported values: {string.Join(", ", supported.Select(Quote))}", field);

    /// <summary><c>ValidateImmutableField</c>: the new value with "field is immutable".</summary>
    public static StatusCause Immutable(string field, JsonNode? value) => Invalid(field, value, "field is immutable");

    /// <summary>A required enum: Required when unset, NotSupported when not one of <paramref name="supported"/>.</summary>
    public static IEnumerable<StatusCause> Enum(JsonObject obj, string name, string path, params string[] supported)
    {
        var value = obj[name];
        if (value is null || value.ToString().Length == 0)
        {
            yield return Required($"{path}.{name}");
        }
        else if (!supported.Contains(value.ToString()))
        {
            yield return NotSupported($"{path}.{name}", value, supported);
        }
    }

    /// <summary>A Go <c>%#v</c>-like rendering of a JSON value.</summary>
    public static string GoValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v => v.ToJsonString(),
        JsonObject o when o.All(p => p.Value is JsonValue s && s.GetValueKind() == JsonValueKind.String) =>
            "map[string]string{" + string.Join(", ", o.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{Quote(p.Key)}:{Quote(p.Value!.GetValue<string>())}")) + "}",
        _ => value.ToJsonString(),
    };

    /// <summary>A <c>metav1.LabelSelector</c> as upstream prints it in selector errors.</summary>
    public static string LabelSelectorValue(JsonObject? selector)
    {
        if (selector is null)
        {
            return "null";
        }
        var matchLabels = selector["matchLabels"] is JsonObject { Count: > 0 } labels ? GoValue(labels) : "map[string]string(nil)";
        var expressions = selector["matchExpressions"] is JsonArray { Count: > 0 } list
            ? "[]v1.LabelSelectorRequirement{" + string.Join(", ", list.OfType<JsonObject>().Select(Requirement)) + "}"
            : "[]v1.LabelSelectorRequirement(nil)";
        return $"v1.LabelSelector{{MatchLabels:{matchLabels}, MatchExpressions:{expressions}}}";
    }

    private static string Requirement(JsonObject r)
    {
        var values = r["values"] is JsonArray { Count: > 0 } v ? "[]string{" + string.Join(", ", v.Select(x => Quote(x?.ToString() ?? ""))) + "}" : "[]string(nil)";
        return $"v1.LabelSelectorRequirement{{Key:{Quote(r["key"]?.ToString() ?? "")}, Operator:{Quote(r["operator"]?.ToString() ?? "")}, Values:{values}}}";
    }

    /// <summary>
    /// An integral JSON number whatever backs the node (parsed element, or an int/long set in code); null otherwise.
    /// <c>JsonValue.TryGetValue&lt;long&gt;</c> alone fails for values created from an <c>int</c>.
    /// </summary>
    public static long? Integer(this JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);

    public static string Format(long number) => number.ToString(CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string WithDetail(string body, string detail) => detail.Length == 0 ? body : $"{body}: {detail}";
}
