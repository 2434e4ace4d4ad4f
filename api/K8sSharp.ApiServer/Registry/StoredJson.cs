using System.Globalization;
using System.Text;
using System.Text.Json;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// Serves an object's stored JSON without parsing it: the bytes as stored with <c>metadata.resourceVersion</c>
/// appended as the last property of <c>metadata</c>, which is exactly what parsing, setting the resourceVersion and
/// re-serialising produce. That holds for compact, plain-ASCII JSON without escapes and without a stored
/// resourceVersion (what <see cref="ResourceStore"/> writes for almost every object); anything else is refused, and
/// the caller takes the parse-and-serialise path.
/// </summary>
internal static class StoredJson
{
    public static bool TryWithResourceVersion(byte[] stored, long revision, out byte[] served)
    {
        served = [];
        if (!IsPlainAscii(stored) || !TryFindMetadataEnd(stored, out var end, out var empty))
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

    /// <summary>No escapes and no bytes the response writer could encode differently from how they are stored.</summary>
    private static bool IsPlainAscii(ReadOnlySpan<byte> json) =>
        json.IndexOf((byte)'\\') < 0 && json.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0;

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
        return reader.TokenType == JsonTokenType.EndObject && IsCompact(json);
    }

    /// <summary>Compact JSON has no whitespace outside strings; with no escapes, a quote always toggles a string.</summary>
    private static bool IsCompact(ReadOnlySpan<byte> json)
    {
        if (json.IndexOfAny(" \n\r\t"u8) < 0)
        {
            return true;
        }
        var inString = false;
        foreach (var b in json)
        {
            if (b == (byte)'"')
            {
                inString = !inString;
            }
            else if (!inString && b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                return false;
            }
        }
        return true;
    }
}
