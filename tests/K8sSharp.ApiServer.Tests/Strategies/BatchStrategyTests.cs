using static K8sSharp.ApiServer.Tests.Strategies.StrategyHarness;

namespace K8sSharp.ApiServer.Tests.Strategies;

public class BatchStrategyTests
{
    private const string Job = """{"kind":"Job","metadata":{"name":"j"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"j","image":"busybox"}]}}}}""";

    [Fact]
    public void Job_gets_batch_defaults_and_the_generated_selector()
    {
        var (job, errors) = Create(For("batch", "v1", "jobs"), Job);

        errors.Should().BeEmpty();
        var spec = job["spec"]!;
        ((int?)spec["completions"]).Should().Be(1);
        ((int?)spec["parallelism"]).Should().Be(1);
        ((int?)spec["backoffLimit"]).Should().Be(6);
        ((string?)spec["completionMode"]).Should().Be("NonIndexed");
        ((bool?)spec["suspend"]).Should().BeFalse();
        ((string?)spec["podReplacementPolicy"]).Should().Be("TerminatingOrFailed");
        spec["selector"]!.ToJsonString().Should().Be($$$"""{"matchLabels":{"batch.kubernetes.io/controller-uid":"{{{Uid}}}"}}""");
        var expectedLabels = $$$"""{"batch.kubernetes.io/controller-uid":"{{{Uid}}}","batch.kubernetes.io/job-name":"j","controller-uid":"{{{Uid}}}","job-name":"j"}""";
        spec["template"]!["metadata"]!["labels"]!.ToJsonString().Should().Be(expectedLabels);
        job["metadata"]!["labels"]!.ToJsonString().Should().Be(expectedLabels);
        ((string?)spec["template"]!["spec"]!["dnsPolicy"]).Should().Be("ClusterFirst");
    }

    [Fact]
    public void Parallelism_alone_leaves_completions_unset()
    {
        var (job, _) = Create(For("batch", "v1", "jobs"), """{"metadata":{"name":"j"},"spec":{"parallelism":3,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"j","image":"b"}]}}}}""");

        job["spec"]!["completions"].Should().BeNull();
        ((int?)job["spec"]!["parallelism"]).Should().Be(3);
    }

    [Fact]
    public void A_manual_selector_is_kept_and_must_match()
    {
        var (_, errors) = Create(For("batch", "v1", "jobs"),
            """{"metadata":{"name":"j"},"spec":{"manualSelector":true,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"c"}},"spec":{"restartPolicy":"Never","containers":[{"name":"j","image":"b"}]}}}}""");

        Lines(errors).Should().Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"c\"}: `selector` does not match template `labels`");
    }

    [Fact]
    public void Job_restart_policy_must_be_OnFailure_or_Never()
    {
        var (_, errors) = Create(For("batch", "v1", "jobs"), """{"metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"j","image":"b"}]}}}}""");

        Lines(errors).Should().Equal("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
    }

    [Fact]
    public void Job_selector_and_template_are_immutable()
    {
        var strategy = For("batch", "v1", "jobs");
        var (job, _) = Create(strategy, Job);

        var (_, errors) = Update(strategy, job, j => j["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "other");
        var (_, suspend) = Update(strategy, job, j => j["spec"]!["suspend"] = true);

        Lines(errors).Should().Equal("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable");
        suspend.Should().BeEmpty();
    }

    [Fact]
    public void CronJob_defaults_and_schedule_validation()
    {
        var strategy = For("batch", "v1", "cronjobs");
        var (cj, errors) = Create(strategy, """{"metadata":{"name":"c"},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"b"}]}}}}}}""");
        var (_, bad) = Create(strategy, """{"metadata":{"name":"c"},"spec":{"schedule":"* *","concurrencyPolicy":"Never","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"b"}]}}}}}}""");

        errors.Should().BeEmpty();
        var spec = cj["spec"]!;
        ((string?)spec["concurrencyPolicy"]).Should().Be("Allow");
        ((bool?)spec["suspend"]).Should().BeFalse();
        ((int?)spec["successfulJobsHistoryLimit"]).Should().Be(3);
        ((int?)spec["failedJobsHistoryLimit"]).Should().Be(1);
        spec["jobTemplate"]!["spec"]!["backoffLimit"].Should().BeNull("job defaults apply to Jobs, not to job templates");
        ((int?)spec["jobTemplate"]!["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]).Should().Be(30);
        Lines(bad).Should().Equal(
            "spec.schedule: Invalid value: \"* *\": expected exactly 5 fields, found 2: [* *]",
            "spec.concurrencyPolicy: Unsupported value: \"Never\": supported values: \"Allow\", \"Forbid\", \"Replace\"");
    }
}
