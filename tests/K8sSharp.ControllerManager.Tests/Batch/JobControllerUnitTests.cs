using k8s.Models;
using K8sSharp.ControllerManager.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests.Batch;

/// <summary>The Job controller against preloaded listers and a fake API edge, in virtual time.</summary>
public sealed class JobControllerUnitTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeJobCluster cluster;

    public JobControllerUnitTests()
    {
        cluster = new FakeJobCluster(time);
    }

    internal static V1Job NewJob(string name, int? completions = 1, int? parallelism = 1, int backoffLimit = 6) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            CompletionMode = "NonIndexed",
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["batch.kubernetes.io/controller-uid"] = "uid-" + name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string>
                    {
                        ["batch.kubernetes.io/controller-uid"] = "uid-" + name,
                        ["batch.kubernetes.io/job-name"] = name,
                        ["controller-uid"] = "uid-" + name,
                        ["job-name"] = name,
                    },
                },
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };

    private V1Job Status(string name) => cluster.Job(name);

    private static V1JobCondition? Condition(V1Job job, string type) => job.Status.Conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public async Task Creates_parallelism_pods_from_the_template_with_owner_labels_and_tracking_finalizer()
    {
        cluster.Add(NewJob("pi", completions: 3, parallelism: 2));

        await cluster.SyncAsync("pi");

        cluster.Created.Should().HaveCount(2);
        cluster.Created.Should().AllSatisfy(pod =>
        {
            pod.Metadata.Name.Should().MatchRegex("^pi-[0-9a-f]{5}$");
            pod.Metadata.Labels.Should().Contain("batch.kubernetes.io/job-name", "pi").And.Contain("controller-uid", "uid-pi");
            pod.Metadata.Finalizers.Should().Equal(JobKeys.TrackingFinalizer);
            pod.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1OwnerReference
            {
                ApiVersion = "batch/v1", Kind = "Job", Name = "pi", Uid = "uid-pi", Controller = true, BlockOwnerDeletion = true,
            });
        });
        var status = Status("pi").Status;
        (status.Active, status.Ready, status.Terminating, status.StartTime).Should().Be((2, 0, 0, time.GetUtcNow().UtcDateTime));
        cluster.Events.Reasons.Should().Equal("SuccessfulCreate", "SuccessfulCreate");

        await cluster.SyncAsync("pi");
        cluster.Created.Should().HaveCount(2, "the observed pods satisfy parallelism");
    }

    [Fact]
    public async Task Succeeded_pods_are_counted_exactly_once_through_uncounted_pods_and_the_job_completes()
    {
        cluster.Add(NewJob("pi", completions: 3, parallelism: 2));
        await cluster.SyncAsync("pi");

        for (var round = 0; round < 3; round++)
        {
            foreach (var pod in cluster.LivePods.Where(p => p.Status.Phase == "Pending").ToList())
            {
                cluster.Finish(pod, "Succeeded");
            }
            await cluster.SettleAsync("pi");
        }

        var job = Status("pi");
        cluster.Created.Should().HaveCount(3, "never more pods than completions");
        job.Status.Succeeded.Should().Be(3);
        job.Status.Failed.GetValueOrDefault().Should().Be(0);
        job.Status.Active.Should().Be(0);
        job.Status.UncountedTerminatedPods.Succeeded.Should().BeEmpty();
        Condition(job, JobConditions.SuccessCriteriaMet)!.Status.Should().Be("True");
        Condition(job, JobConditions.Complete)!.Status.Should().Be("True");
        job.Status.CompletionTime.Should().NotBeNull();
        cluster.Pods.List().Should().OnlyContain(p => !JobPods.HasTrackingFinalizer(p));
        cluster.Events.Reasons.Should().ContainSingle(r => r == "Completed");
    }

    [Fact]
    public async Task A_failed_pod_is_replaced_only_after_the_backoff_and_the_limit_fails_the_job()
    {
        cluster.Add(NewJob("flaky", completions: 1, parallelism: 1, backoffLimit: 1));
        await cluster.SyncAsync("flaky");
        cluster.Finish(cluster.Created[0], "Failed", exitCode: 1);

        await cluster.SettleAsync("flaky");

        Status("flaky").Status.Failed.Should().Be(1);
        cluster.Created.Should().HaveCount(1, "the replacement waits out the 10 s backoff");
        DrainQueue();
        time.Advance(TimeSpan.FromSeconds(9));
        cluster.Controller.Queue.Length.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(1));
        cluster.Controller.Queue.Length.Should().Be(1, "the Job was requeued for the end of its backoff");

        await cluster.SyncAsync("flaky");
        cluster.Created.Should().HaveCount(2);
        cluster.Finish(cluster.Created[1], "Failed", exitCode: 1);
        await cluster.SettleAsync("flaky");

        var job = Status("flaky");
        job.Status.Failed.Should().Be(2);
        Condition(job, JobConditions.FailureTarget)!.Reason.Should().Be("BackoffLimitExceeded");
        Condition(job, JobConditions.Failed)!.Should().BeEquivalentTo(new { Status = "True", Reason = "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit" });
        cluster.Events.Recorded.Should().Contain("Warning BackoffLimitExceeded: Job has reached the specified backoff limit");
    }

    [Fact]
    public async Task Indexed_pods_get_their_index_and_completed_indexes_are_an_interval_string()
    {
        var spec = NewJob("idx", completions: 4, parallelism: 4);
        spec.Spec.CompletionMode = "Indexed";
        cluster.Add(spec);

        await cluster.SyncAsync("idx");

        cluster.Created.Select(p => p.Metadata.Annotations[JobKeys.CompletionIndex]).Should().BeEquivalentTo(["0", "1", "2", "3"]);
        cluster.Created.Should().AllSatisfy(p =>
        {
            var index = p.Metadata.Annotations[JobKeys.CompletionIndex];
            p.Metadata.Labels[JobKeys.CompletionIndex].Should().Be(index);
            p.Metadata.Name.Should().StartWith($"idx-{index}-");
            p.Spec.Hostname.Should().Be($"idx-{index}");
            p.Spec.Containers[0].Env.Should().ContainSingle(e => e.Name == "JOB_COMPLETION_INDEX"
                && e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']");
        });

        foreach (var index in new[] { "0", "1", "3" })
        {
            cluster.Finish(cluster.Created.Single(p => p.Metadata.Annotations[JobKeys.CompletionIndex] == index), "Succeeded");
        }
        await cluster.SettleAsync("idx");
        Status("idx").Status.CompletedIndexes.Should().Be("0-1,3");
        Status("idx").Status.Succeeded.Should().Be(3);

        cluster.Finish(cluster.Created.Single(p => p.Metadata.Annotations[JobKeys.CompletionIndex] == "2"), "Succeeded");
        await cluster.SettleAsync("idx");
        Status("idx").Status.CompletedIndexes.Should().Be("0-3");
        Condition(Status("idx"), JobConditions.Complete)!.Status.Should().Be("True");
    }

    [Fact]
    public async Task Backoff_limit_per_index_fails_an_index_and_the_job_with_reason_FailedIndexes()
    {
        var spec = NewJob("per", completions: 2, parallelism: 2, backoffLimit: int.MaxValue);
        spec.Spec.CompletionMode = "Indexed";
        spec.Spec.BackoffLimitPerIndex = 0;
        cluster.Add(spec);
        await cluster.SyncAsync("per");

        cluster.Finish(cluster.Created.Single(p => p.Metadata.Annotations[JobKeys.CompletionIndex] == "0"), "Succeeded");
        cluster.Finish(cluster.Created.Single(p => p.Metadata.Annotations[JobKeys.CompletionIndex] == "1"), "Failed", exitCode: 3);
        await cluster.SettleAsync("per");

        var job = Status("per");
        job.Status.CompletedIndexes.Should().Be("0");
        job.Status.FailedIndexes.Should().Be("1");
        job.Status.Failed.Should().Be(1);
        Condition(job, JobConditions.Failed)!.Reason.Should().Be("FailedIndexes");
        cluster.Created.Should().HaveCount(2, "a failed index is not retried");
    }

    [Fact]
    public async Task A_FailJob_rule_on_an_exit_code_fails_the_job_and_deletes_the_other_pods()
    {
        var spec = NewJob("policy", completions: 2, parallelism: 2);
        spec.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules =
            [
                new V1PodFailurePolicyRule { Action = "Ignore", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [1] } },
                new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [42] } },
            ],
        };
        cluster.Add(spec);
        await cluster.SyncAsync("policy");

        cluster.Finish(cluster.Created[0], "Failed", exitCode: 1);
        await cluster.SettleAsync("policy");
        Status("policy").Status.Failed.GetValueOrDefault().Should().Be(0, "an Ignore rule does not count the failure");
        time.Advance(JobKeys.DefaultPodFailureBackoff);
        await cluster.SettleAsync("policy");
        cluster.Created.Should().HaveCount(3, "the ignored failure is replaced after the backoff");

        var victim = cluster.Created[1];
        cluster.Finish(victim, "Failed", exitCode: 42);
        await cluster.SettleAsync("policy");

        var job = Status("policy");
        var message = $"Container main for pod ns/{victim.Metadata.Name} failed with exit code 42 matching FailJob rule at index 1";
        Condition(job, JobConditions.FailureTarget)!.Should().BeEquivalentTo(new { Reason = "PodFailurePolicy", Message = message });
        Condition(job, JobConditions.Failed)!.Reason.Should().Be("PodFailurePolicy");
        cluster.Deleted.Should().Contain(cluster.Created[2].Metadata.Name, "the active pod goes when the Job fails");
        cluster.Pods.List().Should().OnlyContain(p => !JobPods.HasTrackingFinalizer(p));
    }

    [Fact]
    public async Task Active_deadline_requeues_for_its_expiry_then_fails_the_job_with_DeadlineExceeded()
    {
        var spec = NewJob("slow");
        spec.Spec.ActiveDeadlineSeconds = 30;
        cluster.Add(spec);
        await cluster.SyncAsync("slow");
        DrainQueue();

        time.Advance(TimeSpan.FromSeconds(29));
        cluster.Controller.Queue.Length.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(1));
        cluster.Controller.Queue.Length.Should().Be(1, "the sync requeued the Job for its deadline");
        await cluster.SettleAsync("slow");

        var job = Status("slow");
        cluster.Deleted.Should().Equal(cluster.Created[0].Metadata.Name);
        Condition(job, JobConditions.Failed)!.Should().BeEquivalentTo(new { Reason = "DeadlineExceeded", Message = "Job was active longer than specified deadline" });
        job.Status.Failed.Should().Be(1, "the pod deleted at the deadline counts as failed");
        job.Status.Active.Should().Be(0);
    }

    [Fact]
    public async Task Suspending_deletes_active_pods_without_counting_them_and_resuming_recreates_them()
    {
        cluster.Add(NewJob("sus", completions: 2, parallelism: 2));
        await cluster.SyncAsync("sus");
        var suspended = FakeJobCluster.Copy(Status("sus"));
        suspended.Spec.Suspend = true;
        cluster.Jobs.Upsert(suspended);

        await cluster.SettleAsync("sus");

        var job = Status("sus");
        cluster.LivePods.Should().BeEmpty();
        job.Status.Failed.GetValueOrDefault().Should().Be(0);
        job.Status.Active.Should().Be(0);
        Condition(job, JobConditions.Suspended)!.Should().BeEquivalentTo(new { Status = "True", Reason = "JobSuspended" });
        cluster.Events.Reasons.Should().Contain("Suspended");

        var resumed = FakeJobCluster.Copy(job);
        resumed.Spec.Suspend = false;
        cluster.Jobs.Upsert(resumed);
        await cluster.SettleAsync("sus");
        Condition(Status("sus"), JobConditions.Suspended)!.Should().BeEquivalentTo(new { Status = "False", Reason = "JobResumed" });
        cluster.LivePods.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_job_without_completions_completes_when_one_pod_succeeded_and_the_rest_finished()
    {
        cluster.Add(NewJob("queue", completions: null, parallelism: 2));
        await cluster.SyncAsync("queue");

        cluster.Finish(cluster.Created[0], "Succeeded");
        await cluster.SettleAsync("queue");
        Condition(Status("queue"), JobConditions.Complete).Should().BeNull("one pod still runs");
        cluster.Created.Should().HaveCount(2, "after a success no new pods start");

        cluster.Finish(cluster.Created[1], "Succeeded");
        await cluster.SettleAsync("queue");
        Condition(Status("queue"), JobConditions.Complete)!.Status.Should().Be("True");
        Status("queue").Status.Succeeded.Should().Be(2);
    }

    private void DrainQueue()
    {
        while (cluster.Controller.Queue.Length > 0)
        {
            var key = cluster.Controller.Queue.GetAsync().GetAwaiter().GetResult();
            cluster.Controller.Queue.Done(key!);
        }
    }
}
