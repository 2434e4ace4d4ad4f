using k8s.Models;
using K8sSharp.ControllerManager.PodAutoscaling;
using Microsoft.Extensions.Time.Testing;
using static K8sSharp.ControllerManager.Tests.PodAutoscaling.FakeHorizontalCluster;

namespace K8sSharp.ControllerManager.Tests.PodAutoscaling;

/// <summary>The HPA controller against preloaded listers, a fake /scale and a fake metrics API, in virtual time.</summary>
public sealed class HorizontalControllerUnitTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeHorizontalCluster cluster;

    public HorizontalControllerUnitTests()
    {
        cluster = new FakeHorizontalCluster(time);
    }

    private static V2HorizontalPodAutoscalerCondition Condition(V2HorizontalPodAutoscaler hpa, string type) =>
        hpa.Status.Conditions.Should().ContainSingle(c => c.Type == type).Subject;

    [Fact]
    public async Task Cpu_above_target_scales_up_through_the_scale_subresource_and_records_status_and_event()
    {
        cluster.AddDeployment("web", 1);
        cluster.AddPod("web", cpuUsage: 200);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().Equal("web=4");
        var hpa = cluster.Hpa();
        hpa.Status.CurrentReplicas.Should().Be(1);
        hpa.Status.DesiredReplicas.Should().Be(4);
        hpa.Status.LastScaleTime.Should().Be(time.GetUtcNow().UtcDateTime);
        var metric = hpa.Status.CurrentMetrics.Should().ContainSingle().Subject;
        metric.Type.Should().Be("Resource");
        metric.Resource.Name.Should().Be("cpu");
        metric.Resource.Current.AverageUtilization.Should().Be(200);
        metric.Resource.Current.AverageValue.ToString().Should().Be("200m");
        Condition(hpa, "AbleToScale").Reason.Should().Be("SucceededRescale");
        Condition(hpa, "AbleToScale").Message.Should().Be("the HPA controller was able to update the target scale to 4");
        Condition(hpa, "ScalingActive").Should().Match<V2HorizontalPodAutoscalerCondition>(c => c.Status == "True" && c.Reason == "ValidMetricFound"
            && c.Message == "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)");
        Condition(hpa, "ScalingLimited").Should().Match<V2HorizontalPodAutoscalerCondition>(c => c.Status == "False" && c.Reason == "DesiredWithinRange");
        cluster.Events.Recorded.Should().Equal("Normal SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target");
    }

    [Fact]
    public async Task The_scale_up_is_capped_by_max_replicas_with_scaling_limited()
    {
        cluster.AddDeployment("web", 1);
        cluster.AddPod("web", cpuUsage: 200);
        cluster.AddHpa("web", 1, 3, Utilization("cpu", 50));

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().Equal("web=3");
        Condition(cluster.Hpa(), "ScalingLimited").Should().Match<V2HorizontalPodAutoscalerCondition>(c => c.Status == "True"
            && c.Reason == "TooManyReplicas" && c.Message == "the desired replica count is more than the maximum replica count");
    }

    [Fact]
    public async Task Usage_within_the_tolerance_keeps_the_size_and_writes_no_scale()
    {
        cluster.AddDeployment("web", 2);
        cluster.AddPod("web", cpuUsage: 52);
        cluster.AddPod("web", cpuUsage: 54);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().BeEmpty();
        var hpa = cluster.Hpa();
        hpa.Status.DesiredReplicas.Should().Be(2);
        hpa.Status.LastScaleTime.Should().BeNull();
        hpa.Status.CurrentMetrics.Single().Resource.Current.AverageUtilization.Should().Be(53);
        Condition(hpa, "AbleToScale").Reason.Should().Be("ReadyForNewScale");
        cluster.Events.Recorded.Should().BeEmpty();
    }

    [Fact]
    public async Task With_several_metrics_the_highest_proposal_wins()
    {
        cluster.AddDeployment("web", 2);
        cluster.AddPod("web", cpuUsage: 10, memoryUsage: 300L * 1024 * 1024 * 1000);
        cluster.AddPod("web", cpuUsage: 10, memoryUsage: 300L * 1024 * 1024 * 1000);
        cluster.AddHpa("web", 1, 10, Utilization("cpu", 50), AverageValue("memory", "100Mi"));

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().Equal(new[] { "web=4" }, "memory proposes 6 (scale-up capped at 2 × 2) and cpu 1");
        var hpa = cluster.Hpa();
        hpa.Status.CurrentMetrics.Should().HaveCount(2);
        hpa.Status.CurrentMetrics[1].Resource.Current.AverageValue.ToString().Should().Be("314572800", "300Mi in canonical DecimalSI");
        Condition(hpa, "ScalingLimited").Reason.Should().Be("ScaleUpLimit");
        cluster.Events.Recorded.Should().Equal("Normal SuccessfulRescale: New size: 4; reason: memory resource above target");
    }

    [Fact]
    public async Task Pods_without_a_request_fail_the_metric_with_upstreams_condition_and_events()
    {
        cluster.AddDeployment("web", 1);
        var pod = cluster.AddPod("web", cpuUsage: 50, requests: false);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().BeEmpty();
        var error = $"failed to get cpu utilization: missing request for cpu in container main of Pod {pod.Metadata.Name}";
        var hpa = cluster.Hpa();
        Condition(hpa, "ScalingActive").Should().Match<V2HorizontalPodAutoscalerCondition>(c => c.Status == "False"
            && c.Reason == "FailedGetResourceMetric" && c.Message == "the HPA was unable to compute the replica count: " + error);
        hpa.Status.CurrentReplicas.Should().Be(1);
        hpa.Status.CurrentMetrics.Should().ContainSingle().Which.Type.Should().BeEmpty();
        cluster.Events.Recorded.Should().Equal(
            "Warning FailedGetResourceMetric: " + error,
            "Warning FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: " + error);
    }

    [Fact]
    public async Task Missing_metrics_api_data_is_reported_as_upstream()
    {
        cluster.AddDeployment("web", 1);
        cluster.AddPod("web", cpuUsage: null);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();

        Condition(cluster.Hpa(), "ScalingActive").Message.Should().Be(
            "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API");
    }

    [Fact]
    public async Task A_target_at_zero_replicas_disables_scaling()
    {
        cluster.AddDeployment("web", 0);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().BeEmpty();
        Condition(cluster.Hpa(), "ScalingActive").Should().Match<V2HorizontalPodAutoscalerCondition>(c => c.Status == "False"
            && c.Reason == "ScalingDisabled" && c.Message == "scaling is disabled since the replica count of the target is zero");
    }

    [Fact]
    public async Task A_size_outside_min_and_max_is_brought_back_without_metrics()
    {
        cluster.AddDeployment("web", 9);
        cluster.AddHpa("web", 2, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().Equal("web=5");
        cluster.Events.Recorded.Should().Equal("Normal SuccessfulRescale: New size: 5; reason: Current number of replicas above Spec.MaxReplicas");
    }

    [Fact]
    public async Task A_missing_target_is_reported_as_failed_get_scale()
    {
        cluster.AddHpa("gone", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync("gone");

        Condition(cluster.Hpa("gone"), "AbleToScale").Should().Match<V2HorizontalPodAutoscalerCondition>(c => c.Status == "False"
            && c.Reason == "FailedGetScale" && c.Message == "the HPA controller was unable to get the target's current scale: deployments.apps \"gone\" not found");
        cluster.Events.Reasons.Should().Equal("FailedGetScale");
    }

    [Fact]
    public async Task A_failed_scale_write_is_reported_as_failed_rescale()
    {
        cluster.AddDeployment("web", 1);
        cluster.AddPod("web", cpuUsage: 200);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));
        cluster.ScaleFailure = "boom";

        await cluster.SyncAsync();

        Condition(cluster.Hpa(), "AbleToScale").Reason.Should().Be("FailedUpdateScale");
        cluster.Events.Recorded.Should().Contain("Warning FailedRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target; error: boom");
        cluster.Hpa().Status.LastScaleTime.Should().BeNull();
    }

    [Fact]
    public async Task Scale_down_waits_for_the_default_stabilization_window()
    {
        cluster.AddDeployment("web", 3);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            cluster.AddPod("web", cpuUsage: 5);
        }
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();
        cluster.ScaleWrites.Should().BeEmpty("the first sync recorded the current size, 3, as a recommendation");
        Condition(cluster.Hpa(), "AbleToScale").Reason.Should().Be("ScaleDownStabilized");

        time.Advance(TimeSpan.FromSeconds(299));
        await cluster.SyncAsync();
        cluster.ScaleWrites.Should().BeEmpty();

        time.Advance(TimeSpan.FromSeconds(2));
        await cluster.SyncAsync();
        cluster.ScaleWrites.Should().Equal("web=1");
        cluster.Events.Recorded.Should().Equal("Normal SuccessfulRescale: New size: 1; reason: All metrics below target");
    }

    [Fact]
    public async Task A_zero_scale_down_window_in_the_behavior_scales_down_at_once()
    {
        cluster.AddDeployment("web", 3);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            cluster.AddPod("web", cpuUsage: 5);
        }
        var hpa = cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));
        hpa.Spec.Behavior = new V2HorizontalPodAutoscalerBehavior { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 0 } };

        await cluster.SyncAsync();

        cluster.ScaleWrites.Should().Equal("web=1");
    }

    [Fact]
    public async Task Every_reconcile_requeues_the_hpa_after_the_sync_period()
    {
        cluster.AddDeployment("web", 1);
        cluster.AddPod("web", cpuUsage: 50);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();

        cluster.Controller.Queue.Length.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(15));
        cluster.Controller.Queue.Length.Should().Be(1);
    }

    [Fact]
    public async Task Two_hpas_over_the_same_pods_are_ambiguous()
    {
        cluster.AddDeployment("web", 1);
        cluster.AddPod("web", cpuUsage: 50);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));
        var twin = cluster.AddHpa("twin", 1, 5, Utilization("cpu", 50));
        twin.Spec.ScaleTargetRef.Name = "web";

        await cluster.SyncAsync();
        await cluster.SyncAsync("twin");

        Condition(cluster.Hpa("twin"), "ScalingActive").Should().Match<V2HorizontalPodAutoscalerCondition>(c => c.Reason == "AmbiguousSelector"
            && c.Message == "pods by selector app=web are controlled by multiple HPAs: [ns/twin ns/web]");
    }

    [Fact]
    public async Task Unchanged_status_is_not_written_again()
    {
        cluster.AddDeployment("web", 1);
        cluster.AddPod("web", cpuUsage: 50);
        cluster.AddHpa("web", 1, 5, Utilization("cpu", 50));

        await cluster.SyncAsync();
        await cluster.SyncAsync();

        cluster.StatusWrites.Should().Be(1);
    }
}
