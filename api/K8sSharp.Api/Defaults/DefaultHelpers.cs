using System.Text.Json.Nodes;

namespace K8sSharp.Api.Defaults;

/// <summary>
/// Building blocks of the defaulters. A field that is missing or JSON <c>null</c> counts as unset, which is what a
/// nil pointer or empty string is to upstream's <c>SetDefaults_*</c> functions.
/// </summary>
internal static class DefaultHelpers
{
    /// <summary>Sets <paramref name="field"/> when it is unset (absent, null or the empty string).</summary>
    public static void Default(this JsonObject obj, string field, JsonNode value)
    {
        if (IsUnset(obj[field]))
        {
            obj[field] = value;
        }
    }

    /// <summary>The object at <paramref name="field"/>, created empty when unset (upstream's <c>&amp;T{}</c>).</summary>
    public static JsonObject Child(this JsonObject obj, string field)
    {
        if (obj[field] is not JsonObject child)
        {
            child = new JsonObject();
            obj[field] = child;
        }
        return child;
    }

    /// <summary>The object at <paramref name="field"/> or null; never creates anything.</summary>
    public static JsonObject? Existing(this JsonObject obj, string field) => obj[field] as JsonObject;

    /// <summary>The objects of the array at <paramref name="field"/>; an absent array yields nothing.</summary>
    public static IEnumerable<JsonObject> Items(this JsonObject obj, string field) =>
        obj[field] is JsonArray array ? array.OfType<JsonObject>() : [];

    public static bool IsUnset(JsonNode? node) =>
        node is null || (node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length == 0);

    public static string? Text(this JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
