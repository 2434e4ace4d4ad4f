using System.Globalization;

namespace K8sSharp.Api.Printing;

/// <summary>Durations as Go's <c>time.Duration.String()</c> writes them, which is how Kubernetes objects carry <c>metav1.Duration</c>.</summary>
public static class GoDurationText
{
    /// <summary>A <see cref="TimeSpan"/> as Go writes it (100 ns precision).</summary>
    public static string Format(TimeSpan duration) => Format(duration.Ticks * 100);

    /// <summary>Go's time.Duration.String(): "1h2m3.5s", "1m0s", "1.5s", "2ms", "3µs", "4ns", "0s".</summary>
    public static string Format(long ns)
    {
        if (ns == 0)
            return "0s";
        var sign = ns < 0 ? "-" : "";
        var u = ns < 0 ? (ulong)(-(ns + 1)) + 1 : (ulong)ns; // no overflow for long.MinValue
        if (u < 1_000)
            return $"{sign}{u}ns";
        if (u < 1_000_000)
            return $"{sign}{Fraction(u, 1_000)}µs";
        if (u < 1_000_000_000)
            return $"{sign}{Fraction(u, 1_000_000)}ms";
        var hours = u / 3_600_000_000_000;
        var minutes = u / 60_000_000_000 % 60;
        var head = hours > 0 ? $"{hours}h{minutes}m" : minutes > 0 ? $"{minutes}m" : "";
        return $"{sign}{head}{Fraction(u % 60_000_000_000, 1_000_000_000)}s";
    }

    /// <summary>value/unit in decimal, trailing fractional zeros (and a bare point) removed.</summary>
    private static string Fraction(ulong value, ulong unit)
    {
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fraction = (value % unit).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }

}
