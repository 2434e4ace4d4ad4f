using k8s.Models;
using K8sSharp.Scheduler.Framework;
using K8sSharp.Client.Scheduling;

namespace K8sSharp.Scheduler.Plugins;

/// <summary>Read access to the storage objects VolumeBinding needs (listers in production, dictionaries in tests).</summary>
internal interface IVolumeLookup
{
    V1PersistentVolumeClaim? Claim(string ns, string name);

    V1PersistentVolume? Volume(string name);

    V1StorageClass? Class(string name);
}

/// <summary>
/// PersistentVolumeClaims of the pod (upstream's VolumeBinding, without provisioning decisions): a missing or deleting
/// claim, or an unbound claim whose class binds Immediately, rejects the pod everywhere; a bound claim's volume node
/// affinity must match the node; unbound WaitForFirstConsumer claims are left for binding, which sets
/// <c>volume.kubernetes.io/selected-node</c> on them and waits until they are bound before binding the pod.
/// </summary>
internal sealed class VolumeBinding(IVolumeLookup volumes) : IPreFilterPlugin, IFilterPlugin
{
    public const string UnboundImmediateReason = "pod has unbound immediate PersistentVolumeClaims";
    public const string NodeConflictReason = "node(s) had volume node affinity conflict";
    private const string StateKey = "VolumeBinding";

    public string Name => "VolumeBinding";

    public Status PreFilter(CycleState state, V1Pod pod)
    {
        var bound = new List<V1PersistentVolume>();
        var delayed = new List<V1PersistentVolumeClaim>();
        foreach (var claimName in ClaimNames(pod))
        {
            var claim = volumes.Claim(state.Pod.Namespace, claimName);
            if (claim is null)
            {
                return Status.Unresolvable(Name, $"persistentvolumeclaim \"{claimName}\" not found");
            }
            if (claim.Metadata.DeletionTimestamp is not null)
            {
                return Status.Unresolvable(Name, $"persistentvolumeclaim \"{claimName}\" is being deleted");
            }
            if (IsBound(claim))
            {
                if (volumes.Volume(claim.Spec.VolumeName) is { } volume)
                {
                    bound.Add(volume);
                }
                continue;
            }
            var className = claim.Spec?.StorageClassName;
            if (string.IsNullOrEmpty(className) || volumes.Class(className)?.VolumeBindingMode != "WaitForFirstConsumer")
            {
                return Status.Unresolvable(Name, UnboundImmediateReason);
            }
            delayed.Add(claim);
        }
        state.Write(StateKey, new VolumeState(bound, delayed));
        return Status.Success;
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        var bound = state.Read<VolumeState>(StateKey)?.Bound ?? [];
        var conflict = bound.Any(v => v.Spec?.NodeAffinity?.Required is { } required && !NodeSelectorTerms.MatchesAny(required.NodeSelectorTerms, node.Node));
        return conflict ? Status.Unresolvable(Name, NodeConflictReason) : Status.Success;
    }

    /// <summary>The unbound WaitForFirstConsumer claims the binder must give a selected node.</summary>
    public static IReadOnlyList<V1PersistentVolumeClaim> DelayedClaims(CycleState state) =>
        state.Read<VolumeState>(StateKey)?.Delayed ?? [];

    /// <summary>Bound once the claim names its volume and reports phase Bound.</summary>
    public static bool IsBound(V1PersistentVolumeClaim claim) =>
        !string.IsNullOrEmpty(claim.Spec?.VolumeName) && claim.Status?.Phase == "Bound";

    /// <summary>Claims of persistentVolumeClaim volumes, and the &lt;pod&gt;-&lt;volume&gt; claims of generic ephemeral volumes.</summary>
    private static IEnumerable<string> ClaimNames(V1Pod pod)
    {
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (volume.PersistentVolumeClaim?.ClaimName is { Length: > 0 } name)
            {
                yield return name;
            }
            else if (volume.Ephemeral is not null)
            {
                yield return pod.Metadata.Name + "-" + volume.Name;
            }
        }
    }

    private sealed record VolumeState(List<V1PersistentVolume> Bound, List<V1PersistentVolumeClaim> Delayed);
}
