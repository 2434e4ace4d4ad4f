using k8s.Models;

namespace K8sSharp.ControllerManager.CronJobs;

/// <summary>How many starts were missed since the last one: none, a few, or more than 100 (worth a warning).</summary>
internal enum MissedSchedules
{
    None,
    Few,
    Many,
}

/// <summary>The schedule arithmetic of upstream's cronjob utils.go (mostRecentScheduleTime and its two callers).</summary>
internal static class ScheduleTimes
{
    /// <summary>Upstream nextScheduleDelta: requeue a little after the start, against clock skew.</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Counting from the last schedule time (or the creation time, or with <paramref name="includeStartingDeadline"/>
    /// no earlier than now - startingDeadlineSeconds): the earliest time considered, the most recent start at or
    /// before <paramref name="now"/> (null if none), and how many starts were missed (estimated from the interval
    /// between the next two starts, as upstream). Throws <see cref="FormatException"/> for a schedule whose starts are
    /// less than a second apart (e.g. Feb 31, which never comes).
    /// </summary>
    public static (DateTimeOffset Earliest, DateTimeOffset? MostRecent, MissedSchedules Missed) MostRecent(
        V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule, bool includeStartingDeadline)
    {
        var earliest = Utc(cronJob.Status?.LastScheduleTime ?? cronJob.Metadata.CreationTimestamp ?? DateTime.UnixEpoch);
        if (includeStartingDeadline && cronJob.Spec.StartingDeadlineSeconds is { } deadline && now.AddSeconds(-deadline) > earliest)
        {
            earliest = now.AddSeconds(-deadline);
        }
        var t1 = schedule.Next(earliest);
        var t2 = t1 is { } first ? schedule.Next(first) : null;
        if (t1 is null || now < t1)
        {
            return (earliest, null, MissedSchedules.None);
        }
        if (t2 is null || now < t2)
        {
            return (earliest, t1, MissedSchedules.None);
        }
        var between = (long)Math.Round((t2.Value - t1.Value).TotalSeconds);
        if (between < 1)
        {
            throw new FormatException("time difference between two schedules is less than 1 second");
        }
        var missed = ((long)(now - t1.Value).TotalSeconds / between) + 1;
        // Jump close to now, one interval early, and let the schedule find the exact last start: exact for regular
        // schedules and for irregular ones such as "30 6-16/4 * * 1-5".
        var potentialEarliest = t1.Value.AddSeconds((missed - 2) * between);
        DateTimeOffset? mostRecent = null;
        for (var t = schedule.Next(potentialEarliest); t is { } start && start <= now; t = schedule.Next(start))
        {
            mostRecent = start;
        }
        return (earliest, mostRecent, missed > 100 ? MissedSchedules.Many : MissedSchedules.Few);
    }

    /// <summary>How long until the next start after the most recent one (plus <see cref="NextScheduleDelta"/>).</summary>
    public static TimeSpan? UntilNext(V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule)
    {
        DateTimeOffset from;
        try
        {
            var (earliest, mostRecent, missed) = MostRecent(cronJob, now, schedule, includeStartingDeadline: false);
            from = mostRecent ?? (missed == MissedSchedules.None ? earliest : now);
        }
        catch (FormatException)
        {
            from = now; // still requeue: aim for the next slot from now
        }
        return schedule.Next(from) is { } next ? next + NextScheduleDelta - now : null;
    }

    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
