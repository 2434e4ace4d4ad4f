using System.Globalization;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Patching;

/// <summary>Thrown for a JSON patch that is malformed or does not apply; the message says which operation and why.</summary>
public sealed class PatchException(string message) : Exception(message);

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test, applied in order to a copy.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || (string?)op["op"] is not { } name || (string?)op["path"] is not { } path)
            {
                throw new PatchException("json patch operations need \"op\" and \"path\"");
            }
            ApplyOne(root, name, "/doc" + path, op);
        }
        return root["doc"]!;
    }

    private static void ApplyOne(JsonObject root, string name, string path, JsonObject op)
    {
        switch (name)
        {
            case "add": Add(root, path, Value(op)); break;
            case "remove": Remove(root, path); break;
            case "replace": Remove(root, path); Add(root, path, Value(op)); break;
            case "move": Add(root, path, Remove(root, From(op))); break;
            case "copy": Add(root, path, Get(root, From(op))?.DeepClone()); break;
            case "test":
                if (!JsonNode.DeepEquals(Get(root, path), Value(op)))
                {
                    throw new PatchException($"testing value {path[4..]} failed");
                }
                break;
            default: throw new PatchException($"Unexpected kind: {name}");
        }
    }

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw new PatchException($"missing value for {op["op"]} operation");

    private static string From(JsonObject op) => "/doc" + ((string?)op["from"] ?? throw new PatchException("missing from"));

    private static (JsonNode Parent, string Key) Locate(JsonObject root, string path)
    {
        var tokens = path.Split('/')[1..].Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode current = root;
        foreach (var token in tokens[..^1])
        {
            current = Child(current, token) ?? throw new PatchException($"doc is missing path: {path[4..]}");
        }
        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, key) = Locate(root, path);
        return Child(parent, key);
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, key) = Locate(root, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[key] = value;
                break;
            case JsonArray array when key == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= array.Count:
                array.Insert(i, value);
                break;
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: {path[4..]}");
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, key) = Locate(root, path);
        var existing = Child(parent, key);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(key):
                obj.Remove(key);
                return existing;
            case JsonArray array when existing is not null || (int.TryParse(key, out var j) && j < array.Count):
                array.RemoveAt(int.Parse(key, CultureInfo.InvariantCulture));
                return existing;
            default:
                throw new PatchException($"remove operation does not apply: doc is missing path: {path[4..]}");
        }
    }
}
