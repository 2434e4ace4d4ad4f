using System.Runtime.CompilerServices;
using System.Text.Json;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// Reads <c>metadata.labels</c> straight from an object's stored JSON with a forward-only reader, so that label
/// selection can skip objects without parsing them (a selected list touches every object of its range).
/// </summary>
internal static class StoredLabels
{
    private static readonly Dictionary<string, string> None = new(StringComparer.Ordinal);

    /// <summary>Labels read once per stored value (by array identity; stored values are never mutated), so repeated
    /// selected lists over the same cache look up maps instead of reading thousands of objects again.</summary>
    private static readonly ConditionalWeakTable<byte[], Dictionary<string, string>> Memo = [];

    /// <summary>The labels of a stored value (empty when it has none); read-only: shared between callers.</summary>
    public static IReadOnlyDictionary<string, string> Of(byte[] stored) => Memo.GetValue(stored, s => Read(s) ?? None);

    public static Dictionary<string, string>? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        return MoveToProperty(ref reader, "metadata"u8) && reader.TokenType == JsonTokenType.StartObject
            && MoveToProperty(ref reader, "labels"u8) && reader.TokenType == JsonTokenType.StartObject
            ? ReadStringMap(ref reader)
            : null;
    }

    /// <summary>Advances inside the current object to the value of <paramref name="name"/>; false when absent.</summary>
    internal static bool MoveToProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return true;
            }
            reader.Skip();
        }
        return false;
    }

    private static Dictionary<string, string> ReadStringMap(ref Utf8JsonReader reader)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                map[key] = reader.GetString()!;
            }
            else
            {
                reader.Skip();
            }
        }
        return map;
    }
}
