using System.Globalization;
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
    public static bool TryWithResourceVersion(byte[] stored, long revision, out byte[] served)
    {
        served = [];
        if (!TryFindMetadataEnd(stored, out var end, out var empty))
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

    /// <summary>The offset of the <c>}</c> closing the top-level metadata; false when absent, not an object, or
    /// already holding a resourceVersion.</summary>
    private static bool TryFindMetadataEnd(ReadOnlySpan<byte> json, out int end, out bool empty)
    {
        end = 0;
        empty = true;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !StoredLabels.MoveToProperty(ref reader, "metadata"u8)
            || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceVersion"u8))
            {
                return false;
            }
            empty = false;
            reader.Read();
            reader.Skip();
        }
        end = (int)reader.TokenStartIndex;
        return reader.TokenType == JsonTokenType.EndObject;
    }
}
