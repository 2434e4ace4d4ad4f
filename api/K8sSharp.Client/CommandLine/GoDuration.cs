using System.Globalization;
using System.Text.RegularExpressions;

namespace K8sSharp.Client.CommandLine;

/// <summary>
/// Durations in Go's time.ParseDuration form, as upstream flags and cron <c>@every</c> take them: <c>40s</c>, <c>1m30s</c>,
/// <c>500ms</c>, <c>1.5h</c>, <c>10us</c>, <c>100ns</c>.
/// </summary>
public static partial class GoDuration
{
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = Part().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(m => m.Value)) != text)
        {
            throw new FormatException($"invalid duration \"{text}\" (examples: 40s, 1m30s, 500ms)");
        }
        var total = TimeSpan.Zero;
        foreach (Match part in parts)
        {
            var value = double.Parse(part.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "us" or "µs" => TimeSpan.FromMicroseconds(value),
                _ => TimeSpan.FromTicks((long)(value / 100)), // ns
            };
        }
        return total;
    }

    /// <summary>
    /// Go's time.Duration.String() to millisecond precision, as upstream messages print durations: <c>1s</c>,
    /// <c>1m0s</c>, <c>1h2m3.5s</c>, <c>500ms</c>, <c>0s</c>.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        var milliseconds = (long)Math.Round(Math.Abs(duration.TotalMilliseconds));
        var sign = duration < TimeSpan.Zero && milliseconds > 0 ? "-" : "";
        if (milliseconds < 1000)
        {
            return milliseconds == 0 ? "0s" : $"{sign}{milliseconds.ToString(CultureInfo.InvariantCulture)}ms";
        }
        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var seconds = (milliseconds % 60_000 / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
        var head = hours > 0 ? $"{hours.ToString(CultureInfo.InvariantCulture)}h{minutes.ToString(CultureInfo.InvariantCulture)}m"
            : minutes > 0 ? $"{minutes.ToString(CultureInfo.InvariantCulture)}m" : "";
        return $"{sign}{head}{seconds}s";
    }

    [GeneratedRegex(@"(?<value>[0-9]+(\.[0-9]+)?)(?<unit>ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}
