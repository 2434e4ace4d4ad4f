using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests;

public sealed class ReplicaSetUnitTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod(string name, string? node = null, string phase = "Pending", bool ready = false, int ageSeconds = 0, DateTime? readySince = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", CreationTimestamp = T0.AddSeconds(-ageSeconds), Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = readySince ?? T0.AddSeconds(-ageSeconds) }],
        },
    };

    [Fact]
    public void Deletion_order_prefers_unscheduled_then_pending_then_not_ready_then_newer()
    {
        var pods = new[]
        {
            Pod("running-ready", node: "n1", phase: "Running", ready: true, ageSeconds: 100),
            Pod("running-not-ready", node: "n1", phase: "Running", ageSeconds: 100),
            Pod("scheduled-pending", node: "n1", ageSeconds: 100),
            Pod("unscheduled-old", ageSeconds: 100),
            Pod("unscheduled-new", ageSeconds: 1),
        };

        Pods.InDeletionOrder(pods).Select(p => p.Metadata.Name).Should().Equal(
            "unscheduled-new", "unscheduled-old", "scheduled-pending", "running-not-ready", "running-ready");
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(10, 5, false)]
    [InlineData(10, 10, true)]
    public void A_ready_pod_is_available_after_min_ready_seconds(int minReadySeconds, int readyForSeconds, bool available)
    {
        var pod = Pod("p", phase: "Running", ready: true, readySince: T0.AddSeconds(-readyForSeconds));

        Pods.IsAvailable(pod, minReadySeconds, new DateTimeOffset(T0)).Should().Be(available);
    }

    [Fact]
    public void Status_counts_replicas_fully_labeled_ready_and_available()
    {
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web", Generation = 4 },
            Spec = new V1ReplicaSetSpec
            {
                MinReadySeconds = 30,
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } } },
            },
        };
        var relabelled = Pod("relabelled");
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["other"] = "x" };
        var pods = new[]
        {
            Pod("ready-long", phase: "Running", ready: true, readySince: T0.AddMinutes(-5)),
            Pod("ready-just-now", phase: "Running", ready: true, readySince: T0),
            Pod("pending"),
            relabelled,
        };

        var status = ReplicaSetStatuses.Compute(rs, pods, new DateTimeOffset(T0));

        (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration)
            .Should().Be((4, 3, 2, 1, 4L));
    }

    [Fact]
    public void Expectations_are_met_by_observations_or_by_expiry()
    {
        var time = new FakeTimeProvider();
        var expectations = new ControllerExpectations(time);
        expectations.Satisfied("ns/rs").Should().BeTrue("nothing was ever expected");

        expectations.ExpectCreations("ns/rs", 2);
        expectations.CreationObserved("ns/rs");
        expectations.Satisfied("ns/rs").Should().BeFalse();
        expectations.CreationObserved("ns/rs");
        expectations.Satisfied("ns/rs").Should().BeTrue();

        expectations.ExpectDeletions("ns/rs", ["ns/a", "ns/b"]);
        expectations.DeletionObserved("ns/rs", "ns/unrelated");
        expectations.DeletionObserved("ns/rs", "ns/a");
        expectations.DeletionObserved("ns/rs", "ns/a");
        expectations.Satisfied("ns/rs").Should().BeFalse("ns/b is still pending; repeats and strangers do not count");
        time.Advance(ControllerExpectations.Ttl + TimeSpan.FromSeconds(1));
        expectations.Satisfied("ns/rs").Should().BeTrue("a lost event must not wedge the controller");
    }

    [Fact]
    public void A_pod_from_the_template_is_controlled_by_the_replica_set()
    {
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Uid = "u-1" },
            Spec = new V1ReplicaSetSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" }, Annotations = new Dictionary<string, string> { ["a"] = "b" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        };

        var pod = ReplicaSetController.NewPod(rs, new ReplicaSetSource(null!));

        pod.Metadata.GenerateName.Should().Be("web-");
        pod.Metadata.Labels.Should().Contain("app", "web");
        pod.Metadata.Annotations.Should().Contain("a", "b");
        pod.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1OwnerReference
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = "u-1", Controller = true, BlockOwnerDeletion = true,
        });
        pod.Spec.Should().NotBeSameAs(rs.Spec.Template.Spec, "the template belongs to the shared cache");
    }
}
