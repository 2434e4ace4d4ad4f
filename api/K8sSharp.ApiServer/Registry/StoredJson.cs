using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// Serves an object's stored JSON without parsing it: the bytes as stored with <c>metadata.resourceVersion</c>
/// appended as the last property of <c>metadata</c>. That is the same JSON value as parsing, setting the
/// resourceVersion and re-serialising give (escapes and whitespace may be spelled differently, which no JSON reader
/// sees). Refused, so the caller takes the parse-and-serialise path, when there is no top-level <c>metadata</c>
/// object or it already holds a resourceVersion (<see cref="ResourceStore"/> never stores one).
/// </summary>
internal static class StoredJson
{
    /// <summary>Where a stored value's metadata object closes, and whether it is empty.</summary>
    private sealed record MetadataEnd(int Offset, bool Empty)
    {
        public static readonly MetadataEnd Refused = new(-1, false);
    }

    /// <summary>Each stored value's <see cref="MetadataEnd"/>, by array identity: stored values are never mutated, and
    /// lists serve the same cached values over and over (finding the end means reading past managedFields, a third of
    /// a 10k-pod list's CPU before this memo).</summary>
    private static readonly ConditionalWeakTable<byte[], MetadataEnd> MetadataEnds = [];

    public static bool TryWithResourceVersion(byte[] stored, long revision, out byte[] served)
    {
        served = [];
        var (end, empty) = MetadataEnds.GetValue(stored, FindMetadataEnd);
        if (end < 0)
        {
            return false;
        }
        var insert = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{(empty ? string.Empty : ",")}\"resourceVersion\":\"{revision}\""));
        served = new byte[stored.Length + insert.Length];
        stored.AsSpan(0, end).CopyTo(served);
        insert.CopyTo(served.AsSpan(end));
        stored.AsSpan(end).CopyTo(served.AsSpan(end + insert.Length));
        return true;
    }

    /// <summary>The offset of the <c>}</c> closing the top-level metadata; refused when absent, not an object, or
    /// already holding a resourceVersion.</summary>
    private static MetadataEnd FindMetadataEnd(byte[] json)
    {
        var empty = true;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !StoredLabels.MoveToProperty(ref reader, "metadata"u8)
            || reader.TokenType != JsonTokenType.StartObject)
        {
            return MetadataEnd.Refused;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceVersion"u8))
            {
                return MetadataEnd.Refused;
            }
            empty = false;
            reader.Read();
            reader.Skip();
        }
        return reader.TokenType == JsonTokenType.EndObject ? new MetadataEnd((int)reader.TokenStartIndex, empty) : MetadataEnd.Refused;
    }
}
