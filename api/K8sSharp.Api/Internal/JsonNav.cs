using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Internal;

/// <summary>
/// Tolerant readers over wire-format objects. Every accessor returns a neutral value (null, empty,
/// zero) instead of throwing when a field is missing or has an unexpected JSON type, because the
/// printers and field extractors run over whatever a client stored and must never fail a list.
/// </summary>
internal static class JsonNav
{
    /// <summary>Walks nested objects by property name; null when any step is missing or not an object.</summary>
    public static JsonNode? At(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        var current = node;
        foreach (var name in path)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(name, out current))
            {
                return null;
            }
        }
        return current;
    }

    public static JsonObject? Obj(this JsonNode? node, params ReadOnlySpan<string> path) => node.At(path) as JsonObject;

    public static JsonArray Arr(this JsonNode? node, params ReadOnlySpan<string> path) => node.At(path) as JsonArray ?? [];

    /// <summary>The objects of an array, skipping nulls and scalars.</summary>
    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.Arr(path).OfType<JsonObject>();

    /// <summary>A string value; numbers and booleans are rendered the way Go would print them.</summary>
    public static string? Str(this JsonNode? node, params ReadOnlySpan<string> path) => AsString(node.At(path));

    /// <summary>A string value or "" — the Go zero value the upstream code sees for an unset string.</summary>
    public static string S(this JsonNode? node, params ReadOnlySpan<string> path) => node.Str(path) ?? "";

    public static long? Long(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        if (node.At(path) is not JsonValue value)
        {
            return null;
        }
        return value.GetValueKind() switch
        {
            JsonValueKind.Number when value.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number when value.TryGetValue<double>(out var d) => (long)d,
            JsonValueKind.String when long.TryParse(value.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            _ => null,
        };
    }

    /// <summary>An integer or 0, the Go zero value.</summary>
    public static long L(this JsonNode? node, params ReadOnlySpan<string> path) => node.Long(path) ?? 0;

    public static bool? Bool(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.At(path) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : null;

    /// <summary>A timestamp; null for missing, null-valued, unparsable or Go-zero (year 1) times.</summary>
    public static DateTimeOffset? Time(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        var text = node.Str(path);
        if (string.IsNullOrEmpty(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            || t.Year <= 1)
        {
            return null;
        }
        return t;
    }

    /// <summary>The string entries of a JSON object (labels, selectors, annotations).</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.At(path) is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (AsString(value) is { } s)
                {
                    result[key] = s;
                }
            }
        }
        return result;
    }

    /// <summary>Number of properties of an object, 0 when absent.</summary>
    public static int Count(this JsonNode? node, params ReadOnlySpan<string> path) => node.At(path) switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 0,
    };

    private static string? AsString(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        };
    }
}
