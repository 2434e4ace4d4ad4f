using k8s;
using k8s.Models;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.CronJobs;
using K8sSharp.ControllerManager.Jobs;
using K8sSharp.ControllerManager.TtlAfterFinished;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests.Batch;

/// <summary>The Job, CronJob and TTL-after-finished controllers against our real API server, in process.</summary>
public sealed class BatchControllersIntegrationTests : IAsyncLifetime
{
    private const string Ns = "default";
    private readonly ApiServerHarness server = new();
    private readonly RecordingEvents events = new();

    public Task InitializeAsync() => server.InitializeAsync();

    public Task DisposeAsync() => server.DisposeAsync();

    private static V1Job NewJob(string name, int completions) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = completions,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };

    private Informer<V1Pod> Pods => server.Informers.GetOrAdd(() => ListWatchers.For<V1Pod>(server.Client));

    private Informer<V1Job> Jobs => server.Informers.GetOrAdd(() => ListWatchers.For<V1Job>(server.Client));

    [Fact]
    public async Task A_job_runs_its_pods_to_completion_through_the_api_server()
    {
        var controller = new JobController(server.Client, events, TimeProvider.System, NullLogger.Instance);
        controller.Register(server.Informers);
        var job = await server.Client.BatchV1.CreateNamespacedJobAsync(NewJob("pi", 2), Ns);
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/pi", CancellationToken.None);

        var pods = (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items;
        pods.Should().HaveCount(2);
        pods.Should().AllSatisfy(p =>
        {
            p.Metadata.Labels.Should().Contain("batch.kubernetes.io/job-name", "pi").And.Contain("batch.kubernetes.io/controller-uid", job.Metadata.Uid);
            p.Metadata.Finalizers.Should().Contain(JobKeys.TrackingFinalizer);
            p.Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == job.Metadata.Uid && r.Controller == true && r.BlockOwnerDeletion == true);
        });

        foreach (var pod in pods)
        {
            await server.Client.CoreV1.PatchNamespacedPodStatusAsync(
                new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), pod.Metadata.Name, Ns);
        }
        await Eventually.TrueAsync(() => Pods.Lister.List(Ns).All(p => p.Status?.Phase == "Succeeded"), "the informer saw the pods finish");
        await ReconcileUntilAsync(controller, "default/pi", () => Jobs.Lister.Get(Ns, "pi")?.Status?.Conditions?.Any(c => c.Type == "Complete") == true);

        var done = await server.Client.BatchV1.ReadNamespacedJobStatusAsync("pi", Ns);
        done.Status.Succeeded.Should().Be(2);
        done.Status.CompletionTime.Should().NotBeNull();
        done.Status.Conditions.Select(c => c.Type).Should().Equal("SuccessCriteriaMet", "Complete");
        (await server.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Should().OnlyContain(p => !(p.Metadata.Finalizers ?? new List<string>()).Contains(JobKeys.TrackingFinalizer));
        events.Reasons.Should().Contain("Completed");
    }

    [Fact]
    public async Task A_cron_job_creates_the_job_of_its_latest_start_and_records_it_in_status()
    {
        var cronJob = await server.Client.BatchV1.CreateNamespacedCronJobAsync(new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "tick" },
            Spec = new V1CronJobSpec
            {
                Schedule = "*/1 * * * *",
                JobTemplate = new V1JobTemplateSpec { Spec = NewJob("unused", 1).Spec },
            },
        }, Ns);
        var created = new DateTimeOffset(DateTime.SpecifyKind(cronJob.Metadata.CreationTimestamp!.Value, DateTimeKind.Utc));
        var time = new FakeTimeProvider(created.AddMinutes(2));
        var controller = new CronJobController(server.Client, events, time, NullLogger.Instance);
        controller.Register(server.Informers);
        await server.StartInformersAsync();

        await controller.ReconcileAsync("default/tick", CancellationToken.None);

        var latest = created.AddMinutes(2).AddTicks(-(created.AddMinutes(2).UtcTicks % TimeSpan.TicksPerMinute));
        var name = $"tick-{latest.ToUnixTimeSeconds() / 60}";
        var job = await server.Client.BatchV1.ReadNamespacedJobAsync(name, Ns);
        job.Metadata.OwnerReferences.Should().ContainSingle(r => r.Uid == cronJob.Metadata.Uid && r.Kind == "CronJob" && r.Controller == true);
        job.Metadata.Annotations[CronJobJobs.ScheduledTimestampAnnotation].Should().Be(latest.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var status = (await server.Client.BatchV1.ReadNamespacedCronJobStatusAsync("tick", Ns)).Status;
        status.Active.Should().ContainSingle(r => r.Name == name && r.Uid == job.Metadata.Uid);
        status.LastScheduleTime.Should().Be(latest.UtcDateTime);
    }

    [Fact]
    public async Task A_finished_job_is_deleted_once_its_ttl_after_finished_expires()
    {
        var spec = NewJob("short", 1);
        spec.Spec.TtlSecondsAfterFinished = 60;
        var job = await server.Client.BatchV1.CreateNamespacedJobAsync(spec, Ns);
        var finishedAt = DateTime.UtcNow;
        finishedAt = new DateTime(finishedAt.Ticks - (finishedAt.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        job.Status = new V1JobStatus
        {
            StartTime = finishedAt,
            CompletionTime = finishedAt,
            Succeeded = 1,
            Conditions =
            [
                new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True", LastTransitionTime = finishedAt, LastProbeTime = finishedAt },
                new V1JobCondition { Type = "Complete", Status = "True", LastTransitionTime = finishedAt, LastProbeTime = finishedAt },
            ],
        };
        await server.Client.BatchV1.ReplaceNamespacedJobStatusAsync(job, "short", Ns);
        var time = new FakeTimeProvider(new DateTimeOffset(finishedAt).AddSeconds(30));
        var controller = new TtlAfterFinishedController(server.Client, time, NullLogger.Instance);
        controller.Register(server.Informers);
        await server.StartInformersAsync();
        await Eventually.TrueAsync(() => Jobs.Lister.Get(Ns, "short")?.Status?.Conditions?.Count == 2, "the informer saw the finished Job");

        await controller.ReconcileAsync("default/short", CancellationToken.None);
        (await server.Client.BatchV1.ListNamespacedJobAsync(Ns)).Items.Should().ContainSingle("30 s of 60 have passed");

        time.Advance(TimeSpan.FromSeconds(30));
        await controller.ReconcileAsync("default/short", CancellationToken.None);
        (await server.Client.BatchV1.ListNamespacedJobAsync(Ns)).Items.Should().BeEmpty();
    }

    /// <summary>Reconciles (as watch events would trigger) until the cache shows the condition; bounded.</summary>
    private static async Task ReconcileUntilAsync(JobController controller, string key, Func<bool> done)
    {
        for (var i = 0; i < 50 && !done(); i++)
        {
            await controller.ReconcileAsync(key, CancellationToken.None);
            await Task.Delay(50);
        }
        done().Should().BeTrue("the Job finished within 50 syncs");
    }
}
