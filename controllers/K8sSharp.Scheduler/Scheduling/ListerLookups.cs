using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Scheduler.Plugins;

namespace K8sSharp.Scheduler.Scheduling;

/// <summary>The storage objects VolumeBinding reads, from the shared informers' listers.</summary>
internal sealed class ListerVolumeLookup(Lister<V1PersistentVolumeClaim> claims, Lister<V1PersistentVolume> volumes, Lister<V1StorageClass> classes) : IVolumeLookup
{
    public V1PersistentVolumeClaim? Claim(string ns, string name) => claims.Get(ns, name);

    public V1PersistentVolume? Volume(string name) => volumes.Get(null, name);

    public V1StorageClass? Class(string name) => classes.Get(null, name);
}

/// <summary>
/// The selector default topology spreading uses (upstream's helper.DefaultSelector): the selectors of the Services
/// that select the pod, merged, plus the selector of its controlling ReplicaSet or StatefulSet; null when none.
/// </summary>
internal sealed class DefaultSpreadSelector(Lister<V1Service> services, Lister<V1ReplicaSet> replicaSets, Lister<V1StatefulSet> statefulSets)
{
    public V1LabelSelector? For(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty;
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        var matchLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in services.List(ns).Where(s => s.Spec?.Selector is { Count: > 0 } sel && LabelSelectors.Matches(sel, labels)))
        {
            foreach (var (key, value) in service.Spec.Selector)
            {
                matchLabels[key] = value;
            }
        }
        var expressions = new List<V1LabelSelectorRequirement>();
        if (OwnerSelector(pod) is { } owner)
        {
            foreach (var (key, value) in owner.MatchLabels ?? new Dictionary<string, string>())
            {
                matchLabels[key] = value;
            }
            expressions.AddRange(owner.MatchExpressions ?? []);
        }
        return matchLabels.Count == 0 && expressions.Count == 0 ? null : new V1LabelSelector { MatchLabels = matchLabels, MatchExpressions = expressions };
    }

    private V1LabelSelector? OwnerSelector(V1Pod pod)
    {
        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return owner?.Kind switch
        {
            "ReplicaSet" => replicaSets.Get(pod.Metadata.NamespaceProperty, owner.Name)?.Spec?.Selector,
            "StatefulSet" => statefulSets.Get(pod.Metadata.NamespaceProperty, owner.Name)?.Spec?.Selector,
            _ => null,
        };
    }
}
