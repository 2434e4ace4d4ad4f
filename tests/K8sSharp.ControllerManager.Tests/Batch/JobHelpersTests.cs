using k8s.Models;
using K8sSharp.ControllerManager.Jobs;

namespace K8sSharp.ControllerManager.Tests.Batch;

public sealed class JobHelpersTests
{
    [Theory]
    [InlineData(new int[0], "")]
    [InlineData(new[] { 0 }, "0")]
    [InlineData(new[] { 0, 1 }, "0-1")]
    [InlineData(new[] { 1, 3, 4, 5, 7 }, "1,3-5,7")]
    [InlineData(new[] { 5, 0, 2, 1 }, "0-2,5")]
    public void Index_sets_print_as_compressed_intervals(int[] indexes, string text)
    {
        new IndexSet(indexes).ToString().Should().Be(text);
        IndexSet.Parse(text, completions: 100).Items.Should().BeEquivalentTo(indexes.Distinct());
    }

    [Fact]
    public void Parsing_drops_indexes_beyond_completions_and_garbage()
    {
        IndexSet.Parse("0-2,x,4-9", completions: 6).ToString().Should().Be("0-2,4-5");
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(7, 600)]
    [InlineData(20, 600)]
    public void Pod_creation_backoff_doubles_from_ten_seconds_up_to_ten_minutes(int failures, int seconds)
    {
        var now = DateTimeOffset.UnixEpoch;
        BackoffRecords.RemainingTime(failures, now, now).Should().Be(TimeSpan.FromSeconds(seconds));
        BackoffRecords.RemainingTime(failures, now, now.AddSeconds(seconds + 1)).Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("In", new[] { 1, 2 }, 2, "FailJob", true)]
    [InlineData("In", new[] { 1, 2 }, 3, null, true)]
    [InlineData("NotIn", new[] { 1, 2 }, 3, "FailJob", true)]
    [InlineData("NotIn", new[] { 1, 2 }, 0, null, true)]
    public void Exit_code_rules_match_non_zero_codes_by_operator(string op, int[] values, int exitCode, string? action, bool counted)
    {
        var policy = new V1PodFailurePolicy
        {
            Rules = [new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = op, Values = values } }],
        };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns" },
            Status = new V1PodStatus
            {
                Phase = "Failed",
                ContainerStatuses = [new V1ContainerStatus { Name = "c", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode } } }],
            },
        };

        var match = PodFailurePolicies.Match(policy, pod);

        (match.Action, match.CountFailed).Should().Be((action, counted));
    }

    [Fact]
    public void A_condition_rule_ignores_disruptions()
    {
        var policy = new V1PodFailurePolicy
        {
            Rules = [new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] }],
        };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Status = new V1PodStatus { Phase = "Failed", Conditions = [new V1PodCondition { Type = "DisruptionTarget", Status = "True" }] },
        };

        PodFailurePolicies.Match(policy, pod).Should().Be(new PodFailureMatch(null, false, "Ignore"));
    }

    [Theory]
    [InlineData("0-2", null, "0,1,2", true)]
    [InlineData("0-2", null, "0,2", false)]
    [InlineData("0-4", 2, "1,4", true)]
    [InlineData(null, 3, "0,5,7", true)]
    [InlineData(null, 3, "0,5", false)]
    public void Success_policy_rules_match_succeeded_indexes_and_counts(string? indexes, int? count, string succeeded, bool met)
    {
        var policy = new V1SuccessPolicy { Rules = [new V1SuccessPolicyRule { SucceededIndexes = indexes, SucceededCount = count }] };

        var message = IndexedJobs.MatchSuccessPolicy(policy, completions: 10, IndexSet.Parse(succeeded, 10));

        message.Should().Be(met ? "Matched rules at index 0" : null);
    }
}
