using k8s.Models;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Plugins;

namespace K8sSharp.Scheduler.Tests;

public sealed class AffinitySpreadVolumeTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };

    private static NodeInfo Zoned(string name, string zone, params V1Pod[] pods) =>
        Build.NodeInfo(Build.Node(name, labels: new Dictionary<string, string> { ["zone"] = zone }), pods);

    private static V1PodAffinityTerm Term(string topologyKey = "zone") =>
        new() { TopologyKey = topologyKey, LabelSelector = new V1LabelSelector { MatchLabels = Web } };

    private static Status[] FilterAll<TPlugin>(TPlugin plugin, V1Pod pod, params NodeInfo[] nodes)
        where TPlugin : IPreFilterPlugin, IFilterPlugin
    {
        var state = Build.State(pod, nodes);
        plugin.PreFilter(state, pod).IsSuccess.Should().BeTrue();
        return [.. nodes.Select(n => plugin.Filter(state, pod, n))];
    }

    [Fact]
    public void Anti_affinity_keeps_the_pod_out_of_zones_with_matching_pods()
    {
        var pod = Build.Pod("p", labels: Web);
        pod.Spec.Affinity = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term()] } };
        var nodes = new[] { Zoned("a1", "a", Build.Pod("w", labels: Web)), Zoned("a2", "a"), Zoned("b1", "b") };

        var statuses = FilterAll(new InterPodAffinity(), pod, nodes);

        statuses.Select(s => s.IsSuccess).Should().Equal(false, false, true);
        statuses[1].Message.Should().Be(InterPodAffinity.AntiAffinityReason);
    }

    [Fact]
    public void Existing_pods_anti_affinity_rejects_an_incoming_pod_they_select()
    {
        var existing = Build.Pod("guard", labels: new Dictionary<string, string> { ["app"] = "guard" });
        existing.Spec.Affinity = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("kubernetes.io/hostname")] } };
        var nodes = new[] { Zoned("a1", "a", existing), Zoned("a2", "a") };

        var statuses = FilterAll(new InterPodAffinity(), Build.Pod("p", labels: Web), nodes);

        statuses[0].Message.Should().Be(InterPodAffinity.ExistingAntiAffinityReason);
        statuses[1].IsSuccess.Should().BeTrue();
    }

    [Fact]
    public void Affinity_needs_a_matching_pod_in_the_zone_unless_the_pod_is_the_first_of_its_group()
    {
        var pod = Build.Pod("p", labels: Web);
        pod.Spec.Affinity = new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term()] } };

        FilterAll(new InterPodAffinity(), pod, Zoned("a1", "a"), Zoned("b1", "b")).Should().OnlyContain(s => s.IsSuccess, "no pod matches yet and the pod matches itself");

        var statuses = FilterAll(new InterPodAffinity(), pod, Zoned("a1", "a"), Zoned("b1", "b", Build.Pod("w", labels: Web)));
        statuses[0].Message.Should().Be(InterPodAffinity.AffinityReason);
        statuses[1].IsSuccess.Should().BeTrue();
    }

    [Fact]
    public void Topology_spread_DoNotSchedule_keeps_skew_within_maxSkew()
    {
        var pod = Build.Pod("p", labels: Web);
        pod.Spec.TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "zone", WhenUnsatisfiable = "DoNotSchedule", LabelSelector = new V1LabelSelector { MatchLabels = Web } },
        ];
        var nodes = new[]
        {
            Zoned("a1", "a", Build.Pod("w1", labels: Web), Build.Pod("w2", labels: Web)),
            Zoned("b1", "b", Build.Pod("w3", labels: Web)),
            Build.NodeInfo(Build.Node("nolabel")),
        };

        var statuses = FilterAll(new PodTopologySpread(_ => null), pod, nodes);

        statuses[0].Message.Should().Be(PodTopologySpread.ConstraintsReason, "zone a would have 3 against 1");
        statuses[1].IsSuccess.Should().BeTrue();
        statuses[2].Message.Should().Be(PodTopologySpread.MissingLabelReason);
        statuses[2].Code.Should().Be(StatusCode.UnschedulableAndUnresolvable);
    }

    [Fact]
    public void Topology_spread_minDomains_counts_missing_domains_as_empty()
    {
        var pod = Build.Pod("p", labels: Web);
        pod.Spec.TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint { MaxSkew = 1, MinDomains = 3, TopologyKey = "zone", WhenUnsatisfiable = "DoNotSchedule", LabelSelector = new V1LabelSelector { MatchLabels = Web } },
        ];
        var nodes = new[] { Zoned("a1", "a", Build.Pod("w1", labels: Web)), Zoned("b1", "b", Build.Pod("w2", labels: Web)) };

        FilterAll(new PodTopologySpread(_ => null), pod, nodes).Should().OnlyContain(s => !s.IsSuccess, "with 2 of 3 domains the minimum is 0, so every zone would reach skew 2");
    }

    private sealed class Volumes : IVolumeLookup
    {
        public Dictionary<string, V1PersistentVolumeClaim> Claims { get; } = [];

        public V1PersistentVolumeClaim? Claim(string ns, string name) => Claims.GetValueOrDefault(name);

        public V1PersistentVolume? Volume(string name) => null;

        public V1StorageClass? Class(string name) => name == "wffc" ? new V1StorageClass { VolumeBindingMode = "WaitForFirstConsumer" } : new V1StorageClass { VolumeBindingMode = "Immediate" };
    }

    private static V1Pod WithClaim(string claim)
    {
        var pod = Build.Pod("p");
        pod.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }];
        return pod;
    }

    private static V1PersistentVolumeClaim Claim(string name, string storageClass, bool bound = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PersistentVolumeClaimSpec { StorageClassName = storageClass, VolumeName = bound ? "pv1" : null },
        Status = new V1PersistentVolumeClaimStatus { Phase = bound ? "Bound" : "Pending" },
    };

    [Theory]
    [InlineData(null, null, false, "persistentvolumeclaim \"data\" not found")]
    [InlineData("data", "standard", false, VolumeBinding.UnboundImmediateReason)]
    [InlineData("data", "standard", true, null)]
    [InlineData("data", "wffc", false, null)]
    public void VolumeBinding_prefilter_rejects_missing_and_unbound_immediate_claims(string? existing, string? storageClass, bool bound, string? reason)
    {
        var volumes = new Volumes();
        if (existing is not null)
        {
            volumes.Claims[existing] = Claim(existing, storageClass!, bound);
        }
        var pod = WithClaim("data");
        var state = Build.State(pod, Build.NodeInfo(Build.Node("n")));

        var status = new VolumeBinding(volumes).PreFilter(state, pod);

        (status.IsSuccess ? null : status.Message).Should().Be(reason);
        if (storageClass == "wffc")
        {
            VolumeBinding.DelayedClaims(state).Select(c => c.Metadata.Name).Should().Equal("data");
        }
    }
}
