using k8s.Models;
using K8sSharp.ControllerManager.CronJobs;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests.Batch;

/// <summary>The CronJob controller against preloaded listers and a fake API edge, in virtual time.</summary>
public sealed class CronJobControllerUnitTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 30, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Created);
    private readonly FakeCronJobCluster cluster;

    public CronJobControllerUnitTests()
    {
        cluster = new FakeCronJobCluster(time);
    }

    private static V1CronJob NewCronJob(string name, string schedule = "*/1 * * * *", string policy = "Allow") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = Created.UtcDateTime },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            ConcurrencyPolicy = policy,
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name }, Annotations = new Dictionary<string, string> { ["note"] = "x" } },
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "busybox" }] } },
                },
            },
        },
    };

    /// <summary>Moves virtual time to the next whole minute plus a second and syncs.</summary>
    private async Task NextMinuteAsync(string name)
    {
        var now = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(60 - now.Second + 1));
        await cluster.SyncAsync(name);
    }

    [Fact]
    public async Task Nothing_starts_before_the_first_scheduled_time_and_the_sync_requeues_for_it()
    {
        cluster.Add(NewCronJob("tick"));

        await cluster.SyncAsync("tick");

        cluster.CreatedJobs.Should().BeEmpty();
        time.Advance(TimeSpan.FromSeconds(30));
        cluster.Controller.Queue.Length.Should().Be(0, "00:01:00 plus the 100 ms delta is not reached yet");
        time.Advance(TimeSpan.FromMilliseconds(100));
        cluster.Controller.Queue.Length.Should().Be(1, "requeued for 00:01:00 plus the 100 ms delta");
    }

    [Fact]
    public async Task A_scheduled_start_creates_a_job_named_by_its_minute_with_the_template_and_annotation()
    {
        cluster.Add(NewCronJob("tick"));

        await NextMinuteAsync("tick");

        var scheduled = new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero);
        var name = $"tick-{scheduled.ToUnixTimeSeconds() / 60}";
        cluster.CreatedJobs.Should().Equal(name);
        var job = cluster.Jobs.Get("ns/" + name)!;
        job.Metadata.Labels.Should().Contain("app", "tick");
        job.Metadata.Annotations.Should().Contain("note", "x").And.Contain(CronJobJobs.ScheduledTimestampAnnotation, "2026-01-01T00:01:00Z");
        job.Metadata.OwnerReferences.Should().ContainSingle(r => r.Kind == "CronJob" && r.Uid == "uid-tick" && r.Controller == true && r.BlockOwnerDeletion == true);
        var status = cluster.CronJob("tick").Status;
        status.Active.Should().ContainSingle(r => r.Name == name && r.Kind == "Job");
        status.LastScheduleTime.Should().Be(scheduled.UtcDateTime);
        cluster.Events.Recorded.Should().Contain($"Normal SuccessfulCreate: Created job {name}");

        await cluster.SyncAsync("tick");
        cluster.CreatedJobs.Should().HaveCount(1, "a start is taken once");
    }

    [Fact]
    public async Task The_scheduled_timestamp_annotation_is_in_the_cron_job_s_time_zone()
    {
        var cronJob = NewCronJob("tz", schedule: "0 9 * * *");
        cronJob.Spec.TimeZone = "Europe/Berlin";
        cluster.Add(cronJob);

        time.Advance(TimeSpan.FromHours(9));
        await cluster.SyncAsync("tz");

        var job = cluster.OwnedJobs("tz").Should().ContainSingle().Subject;
        job.Metadata.Annotations[CronJobJobs.ScheduledTimestampAnnotation].Should().Be("2026-01-01T09:00:00+01:00");
    }

    [Fact]
    public async Task An_unknown_time_zone_is_reported_and_nothing_starts()
    {
        var cronJob = NewCronJob("bad");
        cronJob.Spec.TimeZone = "Mars/Olympus";
        cluster.Add(cronJob);

        await NextMinuteAsync("bad");

        cluster.CreatedJobs.Should().BeEmpty();
        cluster.Events.Reasons.Should().Contain("UnknownTimeZone");
    }

    [Fact]
    public async Task Forbid_skips_a_start_while_a_job_runs()
    {
        cluster.Add(NewCronJob("forbid", policy: "Forbid"));
        await NextMinuteAsync("forbid");

        await NextMinuteAsync("forbid");

        cluster.CreatedJobs.Should().HaveCount(1);
        cluster.Events.Reasons.Should().Contain("JobAlreadyActive");

        cluster.Finish(cluster.CreatedJobs[0], succeeded: true);
        await NextMinuteAsync("forbid");
        cluster.CreatedJobs.Should().HaveCount(2);
        cluster.Events.Reasons.Should().Contain("SawCompletedJob");
        cluster.CronJob("forbid").Status.LastSuccessfulTime.Should().NotBeNull();
    }

    [Fact]
    public async Task Replace_deletes_the_running_job_before_starting_the_next()
    {
        cluster.Add(NewCronJob("replace", policy: "Replace"));
        await NextMinuteAsync("replace");
        var first = cluster.CreatedJobs[0];

        await NextMinuteAsync("replace");

        cluster.DeletedJobs.Should().Equal(first);
        cluster.CreatedJobs.Should().HaveCount(2);
        cluster.CronJob("replace").Status.Active.Should().ContainSingle(r => r.Name == cluster.CreatedJobs[1]);
    }

    [Fact]
    public async Task Allow_runs_jobs_side_by_side()
    {
        cluster.Add(NewCronJob("allow"));
        await NextMinuteAsync("allow");
        await NextMinuteAsync("allow");

        cluster.CronJob("allow").Status.Active.Should().HaveCount(2);
        cluster.DeletedJobs.Should().BeEmpty();
    }

    [Fact]
    public async Task History_limits_delete_the_oldest_finished_jobs()
    {
        var cronJob = NewCronJob("hist");
        cronJob.Spec.SuccessfulJobsHistoryLimit = 1;
        cronJob.Spec.FailedJobsHistoryLimit = 0;
        cluster.Add(cronJob);
        for (var i = 0; i < 3; i++)
        {
            await NextMinuteAsync("hist");
        }
        cluster.Finish(cluster.CreatedJobs[0], succeeded: true);
        cluster.Finish(cluster.CreatedJobs[1], succeeded: true);
        cluster.Finish(cluster.CreatedJobs[2], succeeded: false);

        await cluster.SyncAsync("hist");

        cluster.DeletedJobs.Should().BeEquivalentTo([cluster.CreatedJobs[0], cluster.CreatedJobs[2]]);
        cluster.OwnedJobs("hist").Select(j => j.Metadata.Name).Should().Equal(cluster.CreatedJobs[1]);
        cluster.CronJob("hist").Status.Active.Should().BeEmpty();
    }

    [Fact]
    public async Task Suspended_cron_jobs_start_nothing()
    {
        var cronJob = NewCronJob("sus");
        cronJob.Spec.Suspend = true;
        cluster.Add(cronJob);

        await NextMinuteAsync("sus");

        cluster.CreatedJobs.Should().BeEmpty();
    }

    [Fact]
    public async Task After_missed_starts_only_the_most_recent_runs_and_many_misses_warn()
    {
        cluster.Add(NewCronJob("late"));
        time.Advance(TimeSpan.FromMinutes(150));

        await cluster.SyncAsync("late");

        cluster.CreatedJobs.Should().ContainSingle();
        cluster.CronJob("late").Status.LastScheduleTime.Should().Be(new DateTime(2026, 1, 1, 2, 30, 0, DateTimeKind.Utc));
        cluster.Events.Reasons.Should().Contain("TooManyMissedTimes");
    }

    [Fact]
    public async Task A_start_missed_by_more_than_the_starting_deadline_is_skipped()
    {
        var cronJob = NewCronJob("deadline", schedule: "0 * * * *");
        cronJob.Spec.StartingDeadlineSeconds = 10;
        cluster.Add(cronJob);
        time.Advance(TimeSpan.FromMinutes(61));

        await cluster.SyncAsync("deadline");

        cluster.CreatedJobs.Should().BeEmpty();
    }

    [Fact]
    public async Task An_active_job_that_disappeared_leaves_the_active_list()
    {
        cluster.Add(NewCronJob("gone"));
        await NextMinuteAsync("gone");
        cluster.Jobs.Remove("ns/" + cluster.CreatedJobs[0]);

        await cluster.SyncAsync("gone");

        cluster.CronJob("gone").Status.Active.Should().BeEmpty();
        cluster.Events.Reasons.Should().Contain("MissingJob");
    }
}
