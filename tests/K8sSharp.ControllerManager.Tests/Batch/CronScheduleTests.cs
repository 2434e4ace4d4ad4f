using K8sSharp.ControllerManager.CronJobs;

namespace K8sSharp.ControllerManager.Tests.Batch;

public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("*/1 * * * *", "UTC", "2026-03-04T10:15:30Z", "2026-03-04T10:16:00Z")]
    [InlineData("*/15 * * * *", "UTC", "2026-03-04T10:15:00Z", "2026-03-04T10:30:00Z")]
    [InlineData("0 9-17/4 * * mon-fri", "UTC", "2026-03-06T17:30:00Z", "2026-03-09T09:00:00Z")]
    [InlineData("30 6 1,15 * *", "UTC", "2026-03-02T00:00:00Z", "2026-03-15T06:30:00Z")]
    [InlineData("0 0 * JAN,jul *", "UTC", "2026-03-02T00:00:00Z", "2026-07-01T00:00:00Z")]
    [InlineData("5/20 * * * *", "UTC", "2026-03-04T10:26:00Z", "2026-03-04T10:45:00Z")]
    [InlineData("0 0 13 * 5", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")] // day-of-month OR day-of-week
    [InlineData("0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("@hourly", "UTC", "2026-03-04T10:15:00Z", "2026-03-04T11:00:00Z")]
    [InlineData("@daily", "UTC", "2026-03-04T10:15:00Z", "2026-03-05T00:00:00Z")]
    [InlineData("@weekly", "UTC", "2026-03-04T10:15:00Z", "2026-03-08T00:00:00Z")]
    [InlineData("@monthly", "UTC", "2026-03-04T10:15:00Z", "2026-04-01T00:00:00Z")]
    [InlineData("@yearly", "UTC", "2026-03-04T10:15:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@every 90m", "UTC", "2026-03-04T10:15:00.500Z", "2026-03-04T11:45:00Z")]
    [InlineData("0 9 * * *", "Europe/Berlin", "2026-01-10T12:00:00Z", "2026-01-11T08:00:00Z")]
    [InlineData("0 9 * * *", "Asia/Kolkata", "2026-01-10T12:00:00Z", "2026-01-11T03:30:00Z")]
    [InlineData("TZ=America/New_York 0 9 * * *", "UTC", "2026-07-10T12:00:00Z", "2026-07-10T13:00:00Z")]
    // Spring forward in New York (2026-03-08 02:00 EST -> 03:00 EDT): 02:30 never happens that day.
    [InlineData("30 2 * * *", "America/New_York", "2026-03-07T08:00:00Z", "2026-03-09T06:30:00Z")]
    [InlineData("0 3 * * *", "America/New_York", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z")]
    // Fall back (2026-11-01 02:00 EDT -> 01:00 EST): 01:30 happens twice, and runs twice.
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z")]
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z")]
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z")]
    public void Next_start_is_read_on_the_zone_s_wall_clock(string spec, string zone, string after, string expected)
    {
        var schedule = CronSchedule.Parse(spec, TimeZones.Find(zone));

        schedule.Next(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("* * * *", "expected exactly 5 fields")]
    [InlineData("60 * * * *", "above maximum")]
    [InlineData("* * 0 * *", "below minimum")]
    [InlineData("5-1 * * * *", "beyond end of range")]
    [InlineData("*/0 * * * *", "step of range should be a positive number")]
    [InlineData("* * * foo *", "failed to parse int from foo")]
    [InlineData("@fortnightly", "unrecognized descriptor")]
    [InlineData("TZ=Mars/Olympus * * * * *", "unknown time zone")]
    public void Invalid_schedules_are_rejected_with_a_reason(string spec, string reason)
    {
        var parse = () => CronSchedule.Parse(spec);

        parse.Should().Throw<FormatException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void A_date_that_never_comes_has_no_next_start()
    {
        CronSchedule.Parse("0 0 30 2 *").Next(DateTimeOffset.UnixEpoch).Should().BeNull();
    }
}
