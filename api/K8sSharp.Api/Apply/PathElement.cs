using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sSharp.Api.Apply;

/// <summary>What one step of a field path selects (structured-merge-diff's PathElement, minus list indexes).</summary>
public enum PathElementKind
{
    /// <summary>A field of a struct or an entry of a map: <c>f:name</c>.</summary>
    Field = 0,

    /// <summary>An item of a list-type map, named by its key fields: <c>k:{"name":"nginx"}</c>.</summary>
    Key = 1,

    /// <summary>An item of a list-type set, named by its value: <c>v:"a"</c>.</summary>
    Value = 2,
}

/// <summary>
/// One step of a field path. Equality is by the FieldsV1 text (<c>f:</c>/<c>k:</c>/<c>v:</c> plus compact JSON with
/// key fields sorted by name), which is canonical; ordering follows upstream's <c>PathElement.Compare</c> (fields
/// first by name, then keys by field count, names and values, then values) so FieldsV1 comes out in upstream order.
/// </summary>
public sealed class PathElement : IEquatable<PathElement>, IComparable<PathElement>
{
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private PathElement(PathElementKind kind, string text, string? name, IReadOnlyList<KeyValuePair<string, JsonNode?>>? keys, JsonNode? value)
    {
        Kind = kind;
        Text = text;
        Name = name;
        Keys = keys;
        Value = value;
    }

    public PathElementKind Kind { get; }

    /// <summary>The FieldsV1 spelling, e.g. <c>f:spec</c> or <c>k:{"name":"nginx"}</c>.</summary>
    public string Text { get; }

    public string? Name { get; }

    public IReadOnlyList<KeyValuePair<string, JsonNode?>>? Keys { get; }

    public JsonNode? Value { get; }

    public static PathElement Field(string name) => new(PathElementKind.Field, "f:" + name, name, null, null);

    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields)
    {
        var sorted = fields.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var json = new JsonObject();
        foreach (var (name, value) in sorted)
        {
            json[name] = value?.DeepClone();
        }
        return new PathElement(PathElementKind.Key, "k:" + json.ToJsonString(CompactJson), null, sorted, null);
    }

    public static PathElement ValueOf(JsonNode? value) =>
        new(PathElementKind.Value, "v:" + (value?.ToJsonString(CompactJson) ?? "null"), null, null, value?.DeepClone());

    /// <summary>Parses a FieldsV1 key; <c>i:</c> (index) elements are not produced by this server and are refused.</summary>
    /// <exception cref="FormatException">The key is not a FieldsV1 path element.</exception>
    public static PathElement Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("f:", StringComparison.Ordinal))
        {
            return Field(text[2..]);
        }
        try
        {
            if (text.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(text[2..]) is JsonObject keys)
            {
                return Key(keys.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)));
            }
            if (text.StartsWith("v:", StringComparison.Ordinal))
            {
                return ValueOf(JsonNode.Parse(text[2..]));
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid path element {text}: {e.Message}", e);
        }
        throw new FormatException($"unknown path element type in {text}");
    }

    /// <summary>The element as upstream prints it in paths: <c>.name</c>, <c>[name="nginx"]</c>, <c>[=value]</c>.</summary>
    public override string ToString() => Kind switch
    {
        PathElementKind.Field => "." + Name,
        PathElementKind.Key => "[" + string.Join(",", Keys!.Select(k => k.Key + "=" + ValueText(k.Value))) + "]",
        _ => "[=" + ValueText(Value) + "]",
    };

    public static string FormatPath(IEnumerable<PathElement> path) => string.Concat(path.Select(p => p.ToString()));

    private static string ValueText(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => JsonSerializer.Serialize(s, CompactJson),
        _ => value.ToJsonString(CompactJson),
    };

    public bool Equals(PathElement? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as PathElement);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    public int CompareTo(PathElement? other)
    {
        if (other is null)
        {
            return 1;
        }
        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }
        return Kind switch
        {
            PathElementKind.Field => string.CompareOrdinal(Name, other.Name),
            PathElementKind.Key => CompareKeys(Keys!, other.Keys!),
            _ => JsonOrder.Compare(Value, other.Value),
        };
    }

    private static int CompareKeys(IReadOnlyList<KeyValuePair<string, JsonNode?>> a, IReadOnlyList<KeyValuePair<string, JsonNode?>> b)
    {
        if (a.Count != b.Count)
        {
            return a.Count.CompareTo(b.Count);
        }
        for (var i = 0; i < a.Count; i++)
        {
            var c = string.CompareOrdinal(a[i].Key, b[i].Key);
            if (c == 0)
            {
                c = JsonOrder.Compare(a[i].Value, b[i].Value);
            }
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }

    public static bool operator ==(PathElement? left, PathElement? right) => Equals(left, right);

    public static bool operator !=(PathElement? left, PathElement? right) => !Equals(left, right);

    public static bool operator <(PathElement left, PathElement right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator >(PathElement left, PathElement right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator <=(PathElement left, PathElement right) => !(left > right);

    public static bool operator >=(PathElement left, PathElement right) => !(left < right);
}

/// <summary>A total order over JSON values like upstream's <c>value.Compare</c>: numbers, strings, booleans, then the rest.</summary>
internal static class JsonOrder
{
    public static int Compare(JsonNode? a, JsonNode? b)
    {
        var (ra, rb) = (Rank(a), Rank(b));
        if (ra != rb)
        {
            return ra.CompareTo(rb);
        }
        return ra switch
        {
            0 => Number(a!).CompareTo(Number(b!)),
            1 => string.CompareOrdinal(a!.GetValue<string>(), b!.GetValue<string>()),
            2 => a!.GetValue<bool>().CompareTo(b!.GetValue<bool>()),
            _ => string.CompareOrdinal(a?.ToJsonString(), b?.ToJsonString()),
        };
    }

    private static int Rank(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => 0,
        JsonValueKind.String => 1,
        JsonValueKind.True or JsonValueKind.False => 2,
        JsonValueKind.Array => 3,
        JsonValueKind.Object => 4,
        _ => 5,
    };

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
