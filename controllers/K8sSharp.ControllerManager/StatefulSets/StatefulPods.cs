using System.Globalization;
using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.Revisions;

namespace K8sSharp.ControllerManager.StatefulSets;

/// <summary>
/// The identity of a StatefulSet's pods (upstream stateful_set_utils.go): name <c>&lt;set&gt;-&lt;ordinal&gt;</c>, the
/// pod-name and pod-index labels, hostname and subdomain (the governing Service), the revision label, and one
/// PersistentVolumeClaim per volumeClaimTemplate named <c>&lt;claim&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>.
/// </summary>
internal static class StatefulPods
{
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    public static string Name(V1StatefulSet set, int ordinal) => $"{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The ordinal in the pod's name when it is <c>&lt;set&gt;-&lt;n&gt;</c>, else -1 (upstream getParentNameAndOrdinal).</summary>
    public static int Ordinal(V1StatefulSet set, V1Pod pod)
    {
        var name = pod.Metadata.Name ?? string.Empty;
        var prefix = set.Metadata.Name + "-";
        return name.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1;
    }

    public static int StartOrdinal(V1StatefulSet set) => set.Spec.Ordinals?.Start ?? 0;

    /// <summary>The revision a pod was created from: its controller-revision-hash label (the revision's name).</summary>
    public static string? Revision(V1Pod pod) => pod.Metadata.Label(RevisionData.HashLabel);

    public static string ClaimName(V1PersistentVolumeClaim template, V1StatefulSet set, int ordinal) =>
        $"{template.Metadata.Name}-{Name(set, ordinal)}";

    /// <summary>The pod for <paramref name="ordinal"/> from <paramref name="template"/> (the template of <paramref name="revision"/>).</summary>
    public static V1Pod New(V1StatefulSet set, V1PodTemplateSpec template, int ordinal, string revision, V1OwnerReference owner)
    {
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        var name = Name(set, ordinal);
        var labels = new Dictionary<string, string>(copy.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [PodNameLabel] = name,
            [PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture),
            [RevisionData.HashLabel] = revision,
        };
        var spec = copy.Spec;
        spec.Hostname = name;
        spec.Subdomain = string.IsNullOrEmpty(set.Spec.ServiceName) ? spec.Subdomain : set.Spec.ServiceName;
        spec.Volumes = WithClaimVolumes(set, spec.Volumes, ordinal);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = set.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = copy.Metadata?.Annotations,
                Finalizers = copy.Metadata?.Finalizers,
                OwnerReferences = [owner],
            },
            Spec = spec,
        };
    }

    /// <summary>Upstream updateStorage: a volume per claim template (replacing one of the same name) bound to the pod's claim.</summary>
    private static List<V1Volume> WithClaimVolumes(V1StatefulSet set, IList<V1Volume>? volumes, int ordinal)
    {
        var templates = set.Spec.VolumeClaimTemplates ?? [];
        var names = templates.Select(t => t.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var result = templates.Select(t => new V1Volume
        {
            Name = t.Metadata.Name,
            PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = ClaimName(t, set, ordinal) },
        }).ToList();
        result.AddRange((volumes ?? []).Where(v => !names.Contains(v.Name)));
        return result;
    }

    /// <summary>The claims the pod at <paramref name="ordinal"/> needs: each template, named for it, labelled with the set's matchLabels.</summary>
    public static IEnumerable<V1PersistentVolumeClaim> Claims(V1StatefulSet set, int ordinal)
    {
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            var claim = KubernetesJson.Deserialize<V1PersistentVolumeClaim>(KubernetesJson.Serialize(template));
            claim.ApiVersion = "v1";
            claim.Kind = "PersistentVolumeClaim";
            claim.Status = null;
            claim.Metadata = new V1ObjectMeta
            {
                Name = ClaimName(template, set, ordinal),
                NamespaceProperty = set.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()),
                Annotations = template.Metadata.Annotations,
            };
            foreach (var (key, value) in set.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>())
            {
                claim.Metadata.Labels[key] = value;
            }
            yield return claim;
        }
    }

    /// <summary>Upstream isRunningAndReady.</summary>
    public static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == "Running" && Pods.IsReady(pod);

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    public static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Failed" or "Succeeded";

    /// <summary>Upstream isHealthy: running, ready, available and not terminating.</summary>
    public static bool IsHealthy(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        IsRunningAndReady(pod) && !IsTerminating(pod) && Pods.IsAvailable(pod, minReadySeconds, now);
}
