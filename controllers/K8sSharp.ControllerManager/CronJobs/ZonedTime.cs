namespace K8sSharp.ControllerManager.CronJobs;

/// <summary>
/// An instant together with its wall-clock reading in a zone, for walking a cron schedule: <see cref="Plus"/> moves
/// in absolute time (as Go's Time.Add), <see cref="AtLocal(DateTime)"/> resolves a wall-clock time (as time.Date).
/// </summary>
internal readonly record struct ZonedTime
{
    public ZonedTime(DateTimeOffset instant, TimeZoneInfo zone)
    {
        Zone = zone;
        Instant = TimeZoneInfo.ConvertTime(instant, zone);
    }

    public TimeZoneInfo Zone { get; }

    public DateTimeOffset Instant { get; }

    public DateTime Local => Instant.DateTime;

    public ZonedTime Plus(TimeSpan delta) => new(Instant + delta, Zone);

    public ZonedTime TruncatedTo(long ticks) => new(Instant.AddTicks(-(Instant.UtcTicks % ticks)), Zone);

    public ZonedTime AtLocal(int year, int month, int day, int hour, int minute) => AtLocal(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified));

    /// <summary>
    /// The instant showing <paramref name="local"/> on the zone's clocks, resolved as Go's time.Date does: a time
    /// skipped by a daylight-saving jump is read with the offset after the jump (02:30 on a New York spring-forward
    /// night is 01:30 EST); a time that occurs twice is its first occurrence.
    /// </summary>
    public ZonedTime AtLocal(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (Zone.IsInvalidTime(local))
        {
            offset = Zone.GetUtcOffset(local.AddHours(3));
        }
        else if (Zone.IsAmbiguousTime(local))
        {
            offset = Zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = Zone.GetUtcOffset(local);
        }
        return new ZonedTime(new DateTimeOffset(local, offset), Zone);
    }
}

/// <summary>IANA time zone lookup (timeZone field, TZ= prefix).</summary>
internal static class TimeZones
{
    /// <summary>The zone, or null when the name is unknown or empty-but-invalid; an empty name is UTC, as Go's LoadLocation("").</summary>
    public static TimeZoneInfo? Find(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == "UTC")
        {
            return TimeZoneInfo.Utc;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
