using k8s.Models;
using K8sSharp.ControllerManager.CronJobs;

namespace K8sSharp.ControllerManager.Tests.Batch;

public sealed class ScheduleTimesTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static V1CronJob CronJob(DateTime? lastScheduled = null, long? startingDeadline = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "c", CreationTimestamp = Created },
        Spec = new V1CronJobSpec { Schedule = "*/5 * * * *", StartingDeadlineSeconds = startingDeadline },
        Status = new V1CronJobStatus { LastScheduleTime = lastScheduled },
    };

    [Theory]
    [InlineData(4, null, "None")]
    [InlineData(5, "00:05", "None")]
    [InlineData(12, "00:10", "Few")]
    [InlineData(5 * 100, "08:20", "Few")]
    [InlineData(5 * 102, "08:30", "Many")]
    public void Most_recent_start_and_missed_count(int minutesLater, string? mostRecent, string missed)
    {
        var now = new DateTimeOffset(Created).AddMinutes(minutesLater);

        var (_, recent, count) = ScheduleTimes.MostRecent(CronJob(), now, CronSchedule.Parse("*/5 * * * *"), includeStartingDeadline: true);

        recent.Should().Be(mostRecent is null ? null : new DateTimeOffset(Created).Add(TimeSpan.Parse(mostRecent, System.Globalization.CultureInfo.InvariantCulture)));
        count.ToString().Should().Be(missed);
    }

    [Fact]
    public void The_starting_deadline_moves_the_earliest_time_considered()
    {
        var now = new DateTimeOffset(Created).AddHours(10).AddMinutes(1);

        var (earliest, recent, missed) = ScheduleTimes.MostRecent(CronJob(startingDeadline: 120), now, CronSchedule.Parse("*/5 * * * *"), includeStartingDeadline: true);

        earliest.Should().Be(now.AddSeconds(-120));
        recent.Should().Be(new DateTimeOffset(Created).AddHours(10));
        missed.Should().Be(MissedSchedules.None);
    }

    [Fact]
    public void Requeue_aims_just_after_the_next_start()
    {
        var now = new DateTimeOffset(Created).AddMinutes(7);

        ScheduleTimes.UntilNext(CronJob(lastScheduled: Created.AddMinutes(5)), now, CronSchedule.Parse("*/5 * * * *"))
            .Should().Be(TimeSpan.FromMinutes(3) + ScheduleTimes.NextScheduleDelta);
    }
}
