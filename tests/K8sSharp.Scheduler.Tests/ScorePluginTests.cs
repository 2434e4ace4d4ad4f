using k8s.Models;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Scheduler.Plugins;

namespace K8sSharp.Scheduler.Tests;

public sealed class ScorePluginTests
{
    private static long[] Scores(IScorePlugin plugin, V1Pod pod, params NodeInfo[] nodes)
    {
        var state = Build.State(pod, nodes);
        plugin.PreScore(state, pod, nodes);
        var scores = nodes.Select(n => plugin.Score(state, pod, n)).ToArray();
        plugin.NormalizeScores(state, scores);
        return scores;
    }

    [Fact]
    public void LeastAllocated_scores_the_free_share_of_cpu_and_memory_after_placing_the_pod()
    {
        var big = Build.NodeInfo(Build.Node("big", cpu: "4", memory: "8Gi"));
        var small = Build.NodeInfo(Build.Node("small", cpu: "2", memory: "8Gi"));
        var pod = Build.Pod("p", cpu: "1", memory: "2Gi");

        // big: cpu (4000-1000)/4000 = 75, memory 6/8 = 75; small: cpu 50, memory 75 → 62.
        Scores(new NodeResourcesFit(), pod, big, small).Should().Equal(75, 62);
    }

    [Fact]
    public void LeastAllocated_counts_missing_requests_as_100m_and_200Mi()
    {
        var node = Build.NodeInfo(Build.Node("n", cpu: "1", memory: "1000Mi"));

        // cpu (1000-100)/1000 = 90, memory (1000-200)/1000 = 80 → 85.
        Scores(new NodeResourcesFit(), Build.Pod("p"), node).Should().Equal(85);
    }

    [Fact]
    public void BalancedAllocation_prefers_equal_cpu_and_memory_shares()
    {
        var balanced = Build.NodeInfo(Build.Node("balanced", cpu: "4", memory: "8Gi"));
        var skewed = Build.NodeInfo(Build.Node("skewed", cpu: "2", memory: "8Gi"));
        var pod = Build.Pod("p", cpu: "1", memory: "2Gi");

        // balanced: 0.25/0.25 → std 0 → 100; skewed: 0.5/0.25 → std 0.125 → 87.
        Scores(new BalancedAllocation(), pod, balanced, skewed).Should().Equal(100, 87);
        Scores(new BalancedAllocation(), Build.Pod("besteffort"), balanced, skewed).Should().Equal(0, 0);
    }

    [Fact]
    public void TaintToleration_score_prefers_fewer_untolerated_PreferNoSchedule_taints()
    {
        static V1Taint Soft(string key) => new() { Key = key, Effect = "PreferNoSchedule" };
        var clean = Build.NodeInfo(Build.Node("clean"));
        var one = Build.NodeInfo(Build.Node("one", taints: [Soft("a")]));
        var two = Build.NodeInfo(Build.Node("two", taints: [Soft("a"), Soft("b")]));
        var pod = Build.Pod("p");
        pod.Spec.Tolerations = [new V1Toleration { Key = "b", OperatorProperty = "Exists", Effect = "PreferNoSchedule" }];

        Scores(new TaintToleration(), pod, clean, one, two).Should().Equal(100, 0, 0);
        Scores(new TaintToleration(), Build.Pod("q"), clean, one, two).Should().Equal(100, 50, 0);
    }

    [Fact]
    public void NodeAffinity_score_sums_matching_preferred_weights_normalized()
    {
        var ssd = Build.NodeInfo(Build.Node("ssd", labels: new Dictionary<string, string> { ["disk"] = "ssd", ["zone"] = "a" }));
        var zoneOnly = Build.NodeInfo(Build.Node("zone", labels: new Dictionary<string, string> { ["zone"] = "a" }));
        var none = Build.NodeInfo(Build.Node("none"));
        static V1PreferredSchedulingTerm Prefer(int weight, string key, string value) => new()
        {
            Weight = weight,
            Preference = new V1NodeSelectorTerm { MatchExpressions = [new() { Key = key, OperatorProperty = "In", Values = [value] }] },
        };
        var pod = Build.Pod("p");
        pod.Spec.Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [Prefer(60, "disk", "ssd"), Prefer(20, "zone", "a")] } };

        Scores(new NodeAffinity(), pod, ssd, zoneOnly, none).Should().Equal(100, 25, 0);
    }

    [Fact]
    public void ImageLocality_prefers_nodes_holding_large_images_scaled_by_spread()
    {
        static NodeInfo WithImage(string name, long size)
        {
            var node = Build.Node(name);
            node.Status.Images = [new V1ContainerImage { Names = ["registry.example/app:1"], SizeBytes = size }];
            return Build.NodeInfo(node);
        }
        var pod = Build.Pod("p");
        pod.Spec.Containers[0].Image = "registry.example/app:1";
        const long mb = 1024 * 1024;

        // 500 MiB on one of two nodes → 250 MiB scaled; (250-23)/(1000-23) of 100 = 23.
        Scores(new ImageLocality(), pod, WithImage("has", 500 * mb), Build.NodeInfo(Build.Node("lacks"))).Should().Equal(23, 0);
    }

    [Fact]
    public void Default_spreading_prefers_hosts_with_fewer_pods_of_the_same_ReplicaSet()
    {
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        var selector = new V1LabelSelector { MatchLabels = labels };
        var crowded = Build.NodeInfo(Build.Node("crowded"), Build.Pod("w1", labels: labels), Build.Pod("w2", labels: labels));
        var empty = Build.NodeInfo(Build.Node("empty"));
        var plugin = new PodTopologySpread(_ => selector);

        var scores = Scores(plugin, Build.Pod("p", labels: labels), crowded, empty);

        scores[1].Should().Be(100);
        scores[0].Should().BeLessThan(scores[1]);
        Scores(new PodTopologySpread(_ => null), Build.Pod("bare"), crowded, empty).Should().Equal(0, 0);
    }
}
