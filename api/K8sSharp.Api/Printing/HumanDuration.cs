using System.Globalization;

namespace K8sSharp.Api.Printing;

/// <summary>
/// The "AGE"-style rendering of k8s.io/apimachinery/pkg/util/duration.HumanDuration: about two
/// significant units, e.g. <c>8s</c>, <c>119s</c>, <c>2m47s</c>, <c>25m</c>, <c>3h4m</c>, <c>47h</c>,
/// <c>2d1h</c>, <c>45d</c>, <c>2y1d</c>, <c>9y</c>.
/// </summary>
public static class HumanDuration
{
    /// <summary>
    /// Formats a duration. Up to one second negative is clock skew and prints <c>0s</c>; anything more
    /// negative prints <c>&lt;invalid&gt;</c>. All units truncate, as Go's integer conversions do.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = duration.Ticks / TimeSpan.TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 60 * 2)
        {
            return Invariant($"{seconds}s");
        }
        var minutes = duration.Ticks / TimeSpan.TicksPerMinute;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{s}s");
        }
        if (minutes < 60 * 3)
        {
            return Invariant($"{minutes}m");
        }
        return FormatHours(duration.Ticks / TimeSpan.TicksPerHour, minutes);
    }

    /// <summary>Age of <paramref name="timestamp"/> at <paramref name="now"/>; <c>&lt;unknown&gt;</c> when unset.</summary>
    public static string Since(DateTimeOffset? timestamp, DateTimeOffset now) =>
        timestamp is { } t ? Format(now - t) : "<unknown>";

    private static string FormatHours(long hours, long minutes)
    {
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{m}m");
        }
        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{h}h");
        }
        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }
        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? Invariant($"{hours / 24 / 365}y") : Invariant($"{hours / 24 / 365}y{days}d");
        }
        return Invariant($"{hours / 24 / 365}y");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
