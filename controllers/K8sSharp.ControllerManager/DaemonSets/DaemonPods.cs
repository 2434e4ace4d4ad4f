using System.Globalization;
using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.Revisions;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>Whether a node should run a DaemonSet's pod, and whether an existing one may stay (upstream NodeShouldRunDaemonPod).</summary>
internal readonly record struct Eligibility(bool ShouldRun, bool ShouldContinueRunning);

/// <summary>
/// The pods a DaemonSet creates (upstream pkg/controller/daemon/util): the template plus the default tolerations
/// every daemon pod gets, the <c>controller-revision-hash</c> and <c>pod-template-generation</c> labels, and a
/// required node affinity <c>matchFields metadata.name In [node]</c> that replaces any required terms, so the default
/// scheduler places the pod on exactly its node.
/// </summary>
internal static class DaemonPods
{
    public const string TemplateGenerationLabel = "pod-template-generation";

    /// <summary>Where the API server keeps apps/v1 DaemonSets' template generation.</summary>
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    private const string NoSchedule = "NoSchedule";
    private const string NoExecute = "NoExecute";

    public static long? TemplateGeneration(V1DaemonSet ds) =>
        ds.Metadata.Annotations?.TryGetValue(TemplateGenerationAnnotation, out var value) == true
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : null;

    /// <summary>A pod of the current template for <paramref name="nodeName"/>, not yet owned (the caller adds the controller reference).</summary>
    public static V1PodTemplateSpec TemplateFor(V1DaemonSet ds, string nodeName, string? hash)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(ds.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels ??= new Dictionary<string, string>();
        if (TemplateGeneration(ds) is { } generation)
        {
            template.Metadata.Labels[TemplateGenerationLabel] = generation.ToString(CultureInfo.InvariantCulture);
        }
        if (!string.IsNullOrEmpty(hash))
        {
            template.Metadata.Labels[RevisionData.HashLabel] = hash;
        }
        template.Spec.Tolerations = WithDefaultTolerations(template.Spec);
        template.Spec.Affinity = PinnedTo(template.Spec.Affinity, nodeName);
        return template;
    }

    /// <summary>Upstream NodeShouldRunDaemonPod: name, nodeSelector and affinity must fit; untolerated NoSchedule/NoExecute
    /// taints keep a new pod off, and only an untolerated NoExecute taint evicts an existing one.</summary>
    public static Eligibility Evaluate(V1Node node, V1DaemonSet ds)
    {
        // The template as it is (its own affinity, not yet the pin to the node) plus the default tolerations.
        var spec = ds.Spec.Template.Spec;
        var tolerations = WithDefaultTolerations(spec);
        var fitsName = string.IsNullOrEmpty(spec.NodeName) || spec.NodeName == node.Metadata.Name;
        if (!fitsName || !NodeSelectorTerms.MatchesRequiredAffinity(spec, node))
        {
            return new Eligibility(false, false);
        }
        if (Tolerations.FirstUntolerated(node.Spec?.Taints, tolerations, NoSchedule, NoExecute) is null)
        {
            return new Eligibility(true, true);
        }
        return new Eligibility(false, Tolerations.FirstUntolerated(node.Spec?.Taints, tolerations, NoExecute) is null);
    }

    /// <summary>The template's tolerations plus those upstream's AddOrUpdateDaemonPodTolerations adds (each only once).</summary>
    public static List<V1Toleration> WithDefaultTolerations(V1PodSpec spec)
    {
        var tolerations = new List<V1Toleration>(spec.Tolerations ?? []);
        void Add(string key, string effect)
        {
            if (!tolerations.Any(t => t.Key == key && t.Effect == effect && t.OperatorProperty == "Exists"))
            {
                tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = effect });
            }
        }
        Add("node.kubernetes.io/not-ready", NoExecute);
        Add("node.kubernetes.io/unreachable", NoExecute);
        Add("node.kubernetes.io/disk-pressure", NoSchedule);
        Add("node.kubernetes.io/memory-pressure", NoSchedule);
        Add("node.kubernetes.io/pid-pressure", NoSchedule);
        Add("node.kubernetes.io/unschedulable", NoSchedule);
        if (spec.HostNetwork == true)
        {
            Add("node.kubernetes.io/network-unavailable", NoSchedule);
        }
        return tolerations;
    }

    /// <summary>Upstream ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become one matchFields term for the node.</summary>
    public static V1Affinity PinnedTo(V1Affinity? affinity, string nodeName)
    {
        affinity ??= new V1Affinity();
        affinity.NodeAffinity ??= new V1NodeAffinity();
        affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
        {
            NodeSelectorTerms =
            [
                new V1NodeSelectorTerm
                {
                    MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [nodeName] }],
                },
            ],
        };
        return affinity;
    }

    /// <summary>The node a daemon pod is for: spec.nodeName once bound, else the node its matchFields affinity names (upstream GetTargetNodeName).</summary>
    public static string? TargetNode(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return pod.Spec.NodeName;
        }
        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        return terms.SelectMany(t => t.MatchFields ?? [])
            .FirstOrDefault(f => f.Key == "metadata.name" && f.OperatorProperty == "In" && f.Values?.Count == 1)?.Values[0];
    }

    /// <summary>Upstream IsPodUpdated: the pod carries the current hash, or the current template generation.</summary>
    public static bool IsUpdated(V1Pod pod, string hash, long? generation)
    {
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        return (labels.TryGetValue(RevisionData.HashLabel, out var podHash) && podHash == hash)
            || (generation is { } g && labels.TryGetValue(TemplateGenerationLabel, out var podGeneration)
                && podGeneration == g.ToString(CultureInfo.InvariantCulture));
    }
}
