using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.ServiceEndpoints;

namespace K8sSharp.ControllerManager.EndpointSlices;

/// <summary>The writes that bring a Service's slices to the desired endpoints.</summary>
internal sealed record SlicePlan(IReadOnlyList<V1EndpointSlice> Create, IReadOnlyList<V1EndpointSlice> Update, IReadOnlyList<V1EndpointSlice> Delete)
{
    public bool IsEmpty => Create.Count == 0 && Update.Count == 0 && Delete.Count == 0;
}

/// <summary>
/// Computes a <see cref="SlicePlan"/> with as few writes as possible (upstream reconciler.reconcileByPortMapping):
/// <list type="number">
/// <item>each existing slice of a desired port set keeps the endpoints still desired, updated in place; a slice left
/// empty is deleted, one with another port set too;</item>
/// <item>remaining endpoints first fill slices already being updated, then new slices of at most
/// <c>maxPerSlice</c>; the last partial chunk goes into the fullest unchanged slice with room, if any;</item>
/// <item>a Service with no endpoints keeps (or gets) one empty placeholder slice, so readers can tell "no endpoints"
/// from "not yet processed".</item>
/// </list>
/// Slices to update or create carry the Service's labels and the trigger-time annotation. Pure: inputs are not modified.
/// </summary>
internal static class SlicePlanner
{
    public const int MaxEndpointsPerSlice = 100;

    public static SlicePlan Plan(V1Service service, IReadOnlyList<V1EndpointSlice> existing, IReadOnlyList<PortSet> desired,
        DateTime? triggerTime, int maxPerSlice = MaxEndpointsPerSlice)
    {
        var create = new List<V1EndpointSlice>();
        var update = new List<V1EndpointSlice>();
        var delete = new List<V1EndpointSlice>();
        var desiredKeys = desired.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        delete.AddRange(existing.Where(s => !desiredKeys.Contains(DesiredEndpoints.PortKey(s.Ports)) || !SliceShape.OwnedBy(s, service)));
        foreach (var set in desired)
        {
            var mine = existing.Where(s => DesiredEndpoints.PortKey(s.Ports) == set.Key && SliceShape.OwnedBy(s, service)).ToList();
            PlanPortSet(service, set, mine, maxPerSlice, create, update, delete);
        }
        if (existing.Count == delete.Count && create.Count == 0)
        {
            var placeholder = SliceShape.New(service, []);
            if (delete.Count == 1 && SliceShape.IsPlaceholderLike(delete[0], placeholder))
            {
                delete.Clear();
            }
            else
            {
                create.Add(placeholder);
            }
        }
        foreach (var slice in create.Concat(update))
        {
            SliceShape.Annotate(slice, triggerTime);
        }
        return new SlicePlan(create, update, delete);
    }

    private static void PlanPortSet(V1Service service, PortSet set, List<V1EndpointSlice> mine, int maxPerSlice,
        List<V1EndpointSlice> create, List<V1EndpointSlice> update, List<V1EndpointSlice> delete)
    {
        var remaining = new Dictionary<string, V1Endpoint>(StringComparer.Ordinal);
        foreach (var endpoint in set.Endpoints)
        {
            remaining.TryAdd(SliceShape.EndpointKey(endpoint), endpoint);
        }
        var unchanged = new List<V1EndpointSlice>();
        var updating = new List<V1EndpointSlice>();
        foreach (var slice in mine)
        {
            var (kept, changed) = KeepDesired(slice, remaining);
            if (kept.Count == 0)
            {
                delete.Add(slice);
            }
            else if (changed || !SliceShape.HasCurrentMetadata(slice, service))
            {
                updating.Add(SliceShape.Updated(slice, service, kept));
            }
            else
            {
                unchanged.Add(slice);
            }
        }
        var queue = new Queue<V1Endpoint>(set.Endpoints.Where(e => remaining.ContainsKey(SliceShape.EndpointKey(e))));
        foreach (var slice in updating)
        {
            Fill(slice, queue, maxPerSlice);
        }
        while (queue.Count > 0)
        {
            var target = queue.Count < maxPerSlice ? FullestWithRoom(unchanged, queue.Count, maxPerSlice) : null;
            if (target is null)
            {
                var fresh = SliceShape.New(service, set.Ports);
                Fill(fresh, queue, maxPerSlice);
                create.Add(fresh);
                continue;
            }
            unchanged.Remove(target);
            var filled = SliceShape.Updated(target, service, [.. target.Endpoints]);
            Fill(filled, queue, maxPerSlice);
            updating.Add(filled);
        }
        update.AddRange(updating);
    }

    /// <summary>The slice's endpoints that are still desired, in their current order and desired state; taken out of <paramref name="remaining"/>.</summary>
    private static (List<V1Endpoint> Kept, bool Changed) KeepDesired(V1EndpointSlice slice, Dictionary<string, V1Endpoint> remaining)
    {
        var kept = new List<V1Endpoint>();
        var changed = false;
        foreach (var endpoint in slice.Endpoints ?? [])
        {
            if (remaining.Remove(SliceShape.EndpointKey(endpoint), out var wanted))
            {
                kept.Add(wanted);
                changed |= KubernetesJson.Serialize(endpoint) != KubernetesJson.Serialize(wanted);
            }
            else
            {
                changed = true;
            }
        }
        return (kept, changed);
    }

    private static void Fill(V1EndpointSlice slice, Queue<V1Endpoint> queue, int maxPerSlice)
    {
        slice.Endpoints ??= [];
        while (queue.Count > 0 && slice.Endpoints.Count < maxPerSlice)
        {
            slice.Endpoints.Add(queue.Dequeue());
        }
    }

    private static V1EndpointSlice? FullestWithRoom(List<V1EndpointSlice> slices, int needed, int maxPerSlice) =>
        slices.Where(s => maxPerSlice - (s.Endpoints?.Count ?? 0) >= needed).MaxBy(s => s.Endpoints?.Count ?? 0);
}
