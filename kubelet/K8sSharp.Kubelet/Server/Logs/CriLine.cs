using System.Globalization;
using System.Text;

namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>
/// One parsed line of a CRI log file: <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;F|P&gt;[:more tags] &lt;content&gt;</c>.
/// <see cref="Content"/> is the text without the line's own newline; a full (F) line ends the output line, a partial
/// (P) one continues on the next.
/// </summary>
internal readonly record struct CriLine(ReadOnlyMemory<byte> TimestampText, DateTimeOffset Time, bool Partial, ReadOnlyMemory<byte> Content)
{
    public static bool TryParse(ReadOnlyMemory<byte> line, out CriLine parsed)
    {
        parsed = default;
        var span = line.Span;
        var first = span.IndexOf((byte)' ');
        if (first <= 0)
        {
            return false;
        }
        var second = span[(first + 1)..].IndexOf((byte)' ');
        if (second < 0 || !TryParseTime(span[..first], out var time))
        {
            return false;
        }
        var tagStart = first + 1 + second + 1;
        var tagLength = span[tagStart..].IndexOf((byte)' ');
        var tags = tagLength < 0 ? span[tagStart..] : span.Slice(tagStart, tagLength);
        var content = tagLength < 0 ? ReadOnlyMemory<byte>.Empty : line[(tagStart + tagLength + 1)..];
        parsed = new CriLine(line[..first], time, tags.Length > 0 && tags[0] == (byte)'P', content);
        return true;
    }

    /// <summary>RFC 3339 with up to nine fractional digits (.NET parses seven; the rest is below its resolution).</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> text, out DateTimeOffset time)
    {
        var value = Encoding.ASCII.GetString(text);
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < value.Length && char.IsAsciiDigit(value[end]))
            {
                end++;
            }
            if (end - dot - 1 > 7)
            {
                value = value[..(dot + 8)] + value[end..];
            }
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
