using System.Globalization;
using K8sSharp.Client.CommandLine;

namespace K8sSharp.ControllerManager.CronJobs;

/// <summary>
/// A standard cron schedule as upstream parses it (robfig/cron ParseStandard): five fields (minute, hour,
/// day of month, month, day of week) of lists, ranges, steps and names (jan-dec, sun-sat), the descriptors
/// <c>@yearly @annually @monthly @weekly @daily @midnight @hourly</c> and <c>@every &lt;duration&gt;</c>, and an
/// optional <c>TZ=</c>/<c>CRON_TZ=</c> prefix. <see cref="Next"/> walks wall-clock time in the schedule's zone the
/// way robfig does, so daylight-saving gaps skip a start and repeated hours run twice.
/// </summary>
internal sealed class CronSchedule
{
    private const ulong StarBit = 1UL << 63;

    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private static readonly CronField Minutes = new(0, 59, []);
    private static readonly CronField Hours = new(0, 23, []);
    private static readonly CronField DaysOfMonth = new(1, 31, []);
    private static readonly CronField Months = new(1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]);
    private static readonly CronField DaysOfWeek = new(0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);

    private readonly ulong minute;
    private readonly ulong hour;
    private readonly ulong dayOfMonth;
    private readonly ulong month;
    private readonly ulong dayOfWeek;
    private readonly TimeSpan? every;

    private CronSchedule(TimeZoneInfo zone, ulong minute, ulong hour, ulong dayOfMonth, ulong month, ulong dayOfWeek, TimeSpan? every)
    {
        Zone = zone;
        this.minute = minute;
        this.hour = hour;
        this.dayOfMonth = dayOfMonth;
        this.month = month;
        this.dayOfWeek = dayOfWeek;
        this.every = every;
    }

    /// <summary>The zone the fields are read in: the TZ= prefix, else the one passed to <see cref="Parse"/>.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Parses <paramref name="spec"/>; throws <see cref="FormatException"/> with robfig's kind of message.</summary>
    public static CronSchedule Parse(string spec, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        zone ??= TimeZoneInfo.Utc;
        spec = spec.Trim();
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var name = spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..(space < 0 ? spec.Length : space)];
            zone = TimeZones.Find(name) ?? throw new FormatException($"provided bad location {name}: unknown time zone {name}");
            spec = space < 0 ? string.Empty : spec[(space + 1)..].Trim();
        }
        if (spec.StartsWith('@'))
        {
            if (spec.StartsWith("@every ", StringComparison.OrdinalIgnoreCase))
            {
                var delay = GoDuration.Parse(spec[7..].Trim());
                return new CronSchedule(zone, 0, 0, 0, 0, 0, delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Floor(delay.TotalSeconds)));
            }
            spec = Descriptors.TryGetValue(spec, out var expanded) ? expanded : throw new FormatException($"unrecognized descriptor: {spec}");
        }
        var fields = spec.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new FormatException($"expected exactly 5 fields, found {fields.Length}: {spec}");
        }
        return new CronSchedule(
            zone, Minutes.Parse(fields[0]), Hours.Parse(fields[1]), DaysOfMonth.Parse(fields[2]), Months.Parse(fields[3]), DaysOfWeek.Parse(fields[4]), null);
    }

    /// <summary>The first start strictly after <paramref name="after"/>, or null when none within five years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        // Start at the next whole second, as robfig does.
        var start = after.AddTicks(TimeSpan.TicksPerSecond - (after.UtcTicks % TimeSpan.TicksPerSecond));
        if (every is { } delay)
        {
            return after.AddTicks(-(after.UtcTicks % TimeSpan.TicksPerSecond)) + delay;
        }
        var t = new ZonedTime(start, Zone);
        var added = false;
        var yearLimit = t.Local.Year + 5;
    Wrap:
        if (t.Local.Year > yearLimit)
        {
            return null;
        }
        while (!Has(month, t.Local.Month))
        {
            if (!added)
            {
                added = true;
                t = t.AtLocal(t.Local.Year, t.Local.Month, 1, 0, 0);
            }
            t = t.AtLocal(t.Local.AddMonths(1));
            if (t.Local.Month == 1)
            {
                goto Wrap;
            }
        }
        while (!DayMatches(t.Local))
        {
            if (!added)
            {
                added = true;
                t = t.AtLocal(t.Local.Year, t.Local.Month, t.Local.Day, 0, 0);
            }
            t = t.AtLocal(t.Local.AddDays(1));
            // A daylight-saving change at midnight leaves us at 23:00 or 01:00: back to the day's start.
            if (t.Local.Hour != 0)
            {
                t = t.Plus(TimeSpan.FromHours(t.Local.Hour > 12 ? 24 - t.Local.Hour : -t.Local.Hour));
            }
            if (t.Local.Day == 1)
            {
                goto Wrap;
            }
        }
        while (!Has(hour, t.Local.Hour))
        {
            if (!added)
            {
                added = true;
                t = t.AtLocal(t.Local.Year, t.Local.Month, t.Local.Day, t.Local.Hour, 0);
            }
            t = t.Plus(TimeSpan.FromHours(1));
            if (t.Local.Hour == 0)
            {
                goto Wrap;
            }
        }
        while (!Has(minute, t.Local.Minute))
        {
            if (!added)
            {
                added = true;
                t = t.TruncatedTo(TimeSpan.TicksPerMinute);
            }
            t = t.Plus(TimeSpan.FromMinutes(1));
            if (t.Local.Minute == 0)
            {
                goto Wrap;
            }
        }
        while (t.Local.Second != 0)
        {
            if (!added)
            {
                added = true;
                t = t.TruncatedTo(TimeSpan.TicksPerSecond);
            }
            t = t.Plus(TimeSpan.FromSeconds(1));
            if (t.Local.Second == 0)
            {
                goto Wrap;
            }
        }
        return t.Instant;
    }

    /// <summary>Day of month and day of week are ANDed when either is <c>*</c>, otherwise ORed (cron's rule).</summary>
    private bool DayMatches(DateTime local)
    {
        var domMatch = Has(dayOfMonth, local.Day);
        var dowMatch = Has(dayOfWeek, (int)local.DayOfWeek);
        return (dayOfMonth & StarBit) != 0 || (dayOfWeek & StarBit) != 0 ? domMatch && dowMatch : domMatch || dowMatch;
    }

    private static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    /// <summary>One field's bounds and names; parses lists of <c>*</c>, <c>a</c>, <c>a-b</c>, each with an optional <c>/step</c>.</summary>
    private sealed record CronField(int Min, int Max, string[] Names)
    {
        public ulong Parse(string field)
        {
            ulong bits = 0;
            foreach (var part in field.Split(','))
            {
                bits |= ParseRange(part);
            }
            return bits;
        }

        private ulong ParseRange(string expr)
        {
            var rangeAndStep = expr.Split('/');
            var lowAndHigh = rangeAndStep[0].Split('-');
            int start, end;
            ulong extra = 0;
            if (lowAndHigh[0] is "*" or "?")
            {
                (start, end, extra) = (Min, Max, StarBit);
            }
            else
            {
                start = Value(lowAndHigh[0]);
                end = lowAndHigh.Length switch
                {
                    1 => start,
                    2 => Value(lowAndHigh[1]),
                    _ => throw new FormatException($"too many hyphens: {expr}"),
                };
            }
            var step = 1;
            if (rangeAndStep.Length == 2)
            {
                step = Number(rangeAndStep[1]);
                if (lowAndHigh.Length == 1 && extra == 0)
                {
                    end = Max; // "N/step" means "N-max/step"
                }
                if (step > 1)
                {
                    extra = 0;
                }
            }
            else if (rangeAndStep.Length > 2)
            {
                throw new FormatException($"too many slashes: {expr}");
            }
            if (start < Min)
            {
                throw new FormatException($"beginning of range ({start}) below minimum ({Min}): {expr}");
            }
            if (end > Max)
            {
                throw new FormatException($"end of range ({end}) above maximum ({Max}): {expr}");
            }
            if (start > end)
            {
                throw new FormatException($"beginning of range ({start}) beyond end of range ({end}): {expr}");
            }
            if (step == 0)
            {
                throw new FormatException($"step of range should be a positive number: {expr}");
            }
            ulong bits = extra;
            for (var i = start; i <= end; i += step)
            {
                bits |= 1UL << i;
            }
            return bits;
        }

        private int Value(string text)
        {
            var name = Array.FindIndex(Names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return name >= 0 ? name + Min : Number(text);
        }

        private static int Number(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new FormatException($"failed to parse int from {text}");
    }
}
