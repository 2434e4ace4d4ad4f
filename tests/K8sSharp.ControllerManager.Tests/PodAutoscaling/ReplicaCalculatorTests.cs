using k8s.Models;
using K8sSharp.ControllerManager.PodAutoscaling;

namespace K8sSharp.ControllerManager.Tests.PodAutoscaling;

/// <summary>Upstream's replica calculation for Resource metrics, as tables (cases after replica_calculator_test.go).</summary>
public sealed class ReplicaCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ReplicaCalculator calculator = new(new HorizontalOptions());

    /// <summary>
    /// A pod: "R:300" is Running and Ready using 300m of a 1000m request (of cpu or memory); "P" Pending; "U:300" Running but not Ready
    /// since its start 1 minute ago (within the CPU initialization period); "M" Running without a metric; "D:300"
    /// being deleted; "F:300" Failed.
    /// </summary>
    private static (List<V1Pod> Pods, ResourceMetrics Metrics) Pods(params string[] specs)
    {
        var pods = new List<V1Pod>();
        var metrics = new Dictionary<string, PodMetric>();
        for (var i = 0; i < specs.Length; i++)
        {
            var parts = specs[i].Split(':');
            var name = $"p{i}";
            var recent = parts[0] == "U";
            var started = (recent ? Now.AddMinutes(-1) : Now.AddHours(-1)).UtcDateTime;
            pods.Add(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, DeletionTimestamp = parts[0] == "D" ? Now.UtcDateTime : null },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "c", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1") } } }],
                },
                Status = new V1PodStatus
                {
                    Phase = parts[0] switch { "P" => "Pending", "F" => "Failed", _ => "Running" },
                    StartTime = started,
                    Conditions = [new V1PodCondition { Type = "Ready", Status = recent ? "False" : "True", LastTransitionTime = started }],
                },
            });
            if (parts.Length > 1)
            {
                metrics[name] = new PodMetric(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Now, TimeSpan.FromSeconds(30));
            }
        }
        return (pods, new ResourceMetrics(metrics, Now));
    }

    [Theory]
    [InlineData(3, 30, new[] { "R:300", "R:500", "R:700" }, 5, 50)]         // scale up: 50% of 30% × 3 ready
    [InlineData(3, 30, new[] { "R:300", "R:310", "R:290" }, 3, 30)]         // at target
    [InlineData(3, 50, new[] { "R:530", "R:540", "R:550" }, 3, 54)]         // 8% over: within tolerance
    [InlineData(5, 50, new[] { "R:100", "R:300", "R:500", "R:250", "R:250" }, 3, 28)] // scale down
    [InlineData(3, 30, new[] { "U:100", "R:500", "R:700" }, 4, 60)]         // unready counts as 0% on scale-up
    [InlineData(3, 30, new[] { "P", "R:500", "R:700" }, 4, 60)]             // pending counts as 0% on scale-up
    [InlineData(4, 50, new[] { "R:100", "R:300", "R:500", "M" }, 4, 30)]    // missing as 100% brings a scale-down within tolerance
    [InlineData(3, 30, new[] { "R:500", "R:700", "M" }, 4, 60)]             // missing as 0% on scale-up
    [InlineData(3, 30, new[] { "R:300", "R:500", "M" }, 3, 40)]             // ... unless that reverses the direction
    [InlineData(3, 30, new[] { "R:600", "R:600", "D:9000", "F:9000" }, 4, 60)] // deleted and failed pods are ignored
    public void Utilization_proposals(int current, int target, string[] pods, int expectedReplicas, int expectedUtilization)
    {
        var (list, metrics) = Pods(pods);

        var proposal = calculator.ResourceReplicas(current, target, "cpu", list, metrics, Now);

        proposal.Replicas.Should().Be(expectedReplicas);
        proposal.Utilization.Should().Be(expectedUtilization);
    }

    [Fact]
    public void Missing_pods_on_a_scale_down_count_as_using_their_whole_request()
    {
        var (list, metrics) = Pods("R:100", "R:100", "R:100", "M");

        var proposal = calculator.ResourceReplicas(4, 50, "cpu", list, metrics, Now);

        proposal.Replicas.Should().Be(3, "(3 × 100 + 1000) / 4000 = 32% against 50% over 4 pods; leaving the missing pod out would give 1");
        proposal.Utilization.Should().Be(10, "the reported utilization is that of the pods with metrics");
    }

    [Fact]
    public void Average_value_targets_compare_mean_usage()
    {
        var (list, metrics) = Pods("R:300", "R:500", "R:700");

        var proposal = calculator.RawResourceReplicas(3, 250, "cpu", list, metrics, Now);

        proposal.Replicas.Should().Be(6);
        proposal.RawAverage.Should().Be(500);
        proposal.Utilization.Should().BeNull();
    }

    [Fact]
    public void No_pods_and_only_unready_pods_are_errors_with_upstreams_messages()
    {
        var noPods = () => calculator.ResourceReplicas(1, 50, "cpu", [], new ResourceMetrics(new Dictionary<string, PodMetric>(), Now), Now);
        noPods.Should().Throw<MetricsUnavailableException>().WithMessage("no pods returned by selector while calculating replica count");

        var (list, metrics) = Pods("U:100", "P");
        var unready = () => calculator.ResourceReplicas(2, 50, "cpu", list, metrics, Now);
        unready.Should().Throw<MetricsUnavailableException>().WithMessage("did not receive metrics for targeted pods (pods might be unready)");
    }

    [Fact]
    public void Memory_samples_of_not_ready_pods_still_count()
    {
        var (list, metrics) = Pods("U:1000", "R:1000");

        var proposal = calculator.ResourceReplicas(2, 50, "memory", list, metrics, Now);

        proposal.Replicas.Should().Be(4, "readiness only matters for cpu");
    }
}
