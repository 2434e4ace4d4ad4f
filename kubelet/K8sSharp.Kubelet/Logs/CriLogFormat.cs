using System.Globalization;
using System.Text;

namespace K8sSharp.Kubelet.Logs;

/// <summary>
/// The CRI container log format (what kubectl logs, Fluent Bit's cri parser and the kubelet's own log reader expect):
/// one line per output line, <c>&lt;RFC3339Nano time&gt; &lt;stdout|stderr&gt; &lt;F|P&gt; &lt;content&gt;</c>, F for a full
/// line, P for a partial one that continues on the next.
/// </summary>
internal static class CriLogFormat
{
    /// <summary>One CRI log line (with its trailing newline).</summary>
    public static string Line(DateTimeOffset time, string stream, bool partial, string content) =>
        $"{Timestamp(time)} {stream} {(partial ? 'P' : 'F')} {content}\n";

    /// <summary>RFC 3339 with nanoseconds (trailing zeros trimmed, as Go's RFC3339Nano).</summary>
    public static string Timestamp(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    /// <summary>
    /// Splits one line of docker's timestamped log stream ("&lt;RFC3339Nano&gt; &lt;content&gt;") into time and content;
    /// a line without a parsable timestamp gets <paramref name="fallback"/>.
    /// </summary>
    public static (DateTimeOffset Time, string Content) SplitDockerLine(string line, DateTimeOffset fallback)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return (time, line[(space + 1)..]);
        }
        return (fallback, line);
    }

    /// <summary>The time of the last line of a CRI log file, or null (empty or missing file).</summary>
    public static DateTimeOffset? LastTimestamp(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        string? last = null;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length > 0)
            {
                last = line;
            }
        }
        var space = last?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        return space > 0 && DateTimeOffset.TryParse(last![..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
