using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Serialization;

/// <summary>
/// Parses JSON objects like Kubernetes' strict decoder: duplicate fields are reported (with their path) and the
/// last one wins. System.Text.Json's DOM rejects duplicates, so they are found with one forward-only scan first
/// and only bodies that have them take the slower, tolerant path.
/// </summary>
internal static class StrictJson
{
    public static JsonNode? Parse(ReadOnlySpan<byte> json, List<string> duplicates)
    {
        FindDuplicates(json, duplicates);
        if (duplicates.Count == 0)
        {
            return JsonNode.Parse(json);
        }
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return Convert(document.RootElement);
    }

    private static void FindDuplicates(ReadOnlySpan<byte> json, List<string> duplicates)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var scopes = new Stack<(HashSet<string>? Names, string Path)>();
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var path = scopes.Count == 0 ? string.Empty : Join(scopes.Peek().Path, property);
                    scopes.Push((reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null, path));
                    property = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    scopes.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    property = reader.GetString()!;
                    if (!scopes.Peek().Names!.Add(property))
                    {
                        duplicates.Add($"duplicate field \"{Join(scopes.Peek().Path, property)}\"");
                    }
                    break;
            }
        }
    }

    private static string Join(string path, string? property) =>
        property is null ? path : path.Length == 0 ? property : $"{path}.{property}";

    private static JsonNode? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(element),
        JsonValueKind.Array => new JsonArray(element.EnumerateArray().Select(Convert).ToArray()),
        JsonValueKind.Null => null,
        _ => JsonValue.Create(element.Clone()),
    };

    private static JsonObject ConvertObject(JsonElement element)
    {
        var obj = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            obj[property.Name] = Convert(property.Value);
        }
        return obj;
    }
}
