using k8s.Models;
using K8sSharp.Scheduler.Framework;

namespace K8sSharp.Scheduler.Tests;

public sealed class PodResourcesTests
{
    private static V1Container Container(string cpu, string? restartPolicy = null) => new()
    {
        Name = "c" + cpu,
        Image = "busybox",
        RestartPolicy = restartPolicy,
        Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
    };

    // Cases from upstream's resourcehelper tests: containers sum; a regular init container runs alone, so the pod
    // needs the larger of (containers) and (each init container plus the sidecars started before it); sidecars add.
    [Theory]
    [InlineData(new[] { "100m", "200m" }, new string[0], new string[0], 300)]
    [InlineData(new[] { "100m" }, new[] { "500m" }, new string[0], 500)]
    [InlineData(new[] { "100m" }, new[] { "50m" }, new string[0], 100)]
    [InlineData(new[] { "100m" }, new string[0], new[] { "200m" }, 300)]
    [InlineData(new[] { "100m" }, new[] { "250m" }, new[] { "200m" }, 450)]
    public void Effective_cpu_request_combines_containers_init_containers_and_sidecars(string[] containers, string[] inits, string[] sidecars, long expectedMilli)
    {
        // Sidecars come first, so the regular init containers run beside them.
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec
            {
                Containers = [.. containers.Select(c => Container(c))],
                InitContainers = [.. sidecars.Select(c => Container(c, "Always")), .. inits.Select(c => Container(c))],
            },
        };

        PodResources.Requests(pod).MilliCpu.Should().Be(expectedMilli);
    }

    [Fact]
    public void Regular_init_container_after_a_sidecar_counts_with_it()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [Container("100m")], InitContainers = [Container("200m", "Always"), Container("500m")] },
        };

        PodResources.Requests(pod).MilliCpu.Should().Be(700, "the init container runs beside the sidecar started before it");
    }

    [Fact]
    public void Overhead_is_added_and_pod_level_requests_replace_container_sums()
    {
        var pod = Build.Pod("p", cpu: "100m", memory: "64Mi");
        pod.Spec.Overhead = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") };
        pod.Spec.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi") } };

        var requests = PodResources.Requests(pod);

        requests.MilliCpu.Should().Be(350);
        requests.Memory.Should().Be(1024L * 1024 * 1024);
    }

    [Fact]
    public void Non_zero_requests_default_missing_cpu_and_memory_per_container()
    {
        var pod = Build.Pod("p", cpu: "300m");

        var requests = PodResources.NonZeroRequests(pod);

        requests.MilliCpu.Should().Be(300);
        requests.Memory.Should().Be(PodResources.DefaultMemoryRequest);
        PodResources.Requests(pod).Memory.Should().Be(0);
    }

    [Fact]
    public void Extended_resources_are_counted_by_name()
    {
        var pod = Build.Pod("p");
        pod.Spec.Containers[0].Resources.Requests["example.com/gpu"] = new ResourceQuantity("2");

        PodResources.Requests(pod).Get("example.com/gpu").Should().Be(2);
    }
}
