using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.EndpointSlices;

/// <summary>
/// The controller's own slice writes that its informer has not shown yet (upstream EndpointSliceTracker, by name and
/// resourceVersion instead of uid and generation). While any is pending the slice lister is stale for that Service,
/// and a sync would create duplicates or resurrect deleted endpoints, so it waits. Entries leave when the informer
/// reports the write (or a later one, or the slice's deletion). Thread-safe.
/// </summary>
internal sealed class SliceTracker
{
    private const long Deleted = -1;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Dictionary<string, long>> expected = new(StringComparer.Ordinal);

    /// <summary>We wrote <paramref name="slice"/> (as the server returned it).</summary>
    public void Written(string serviceKey, V1EndpointSlice slice) => Set(serviceKey, slice.Metadata.Name, Version(slice));

    public void DeletionWritten(string serviceKey, string sliceName) => Set(serviceKey, sliceName, Deleted);

    /// <summary>The informer shows <paramref name="slice"/> at this version.</summary>
    public void Observed(string serviceKey, V1EndpointSlice slice)
    {
        lock (gate)
        {
            if (expected.TryGetValue(serviceKey, out var slices) && slices.TryGetValue(slice.Metadata.Name, out var version)
                && version != Deleted && version <= Version(slice))
            {
                Remove(serviceKey, slices, slice.Metadata.Name);
            }
        }
    }

    public void ObservedDeletion(string serviceKey, string sliceName)
    {
        lock (gate)
        {
            if (expected.TryGetValue(serviceKey, out var slices))
            {
                Remove(serviceKey, slices, sliceName);
            }
        }
    }

    /// <summary>True when <paramref name="cached"/> (the lister's slices of the Service) lacks one of our writes.</summary>
    public bool IsStale(string serviceKey, IReadOnlyList<V1EndpointSlice> cached)
    {
        lock (gate)
        {
            if (!expected.TryGetValue(serviceKey, out var slices))
            {
                return false;
            }
            var byName = cached.ToDictionary(s => s.Metadata.Name, Version, StringComparer.Ordinal);
            return slices.Any(e => e.Value == Deleted ? byName.ContainsKey(e.Key) : !byName.TryGetValue(e.Key, out var seen) || seen < e.Value);
        }
    }

    public void Forget(string serviceKey)
    {
        lock (gate)
        {
            expected.Remove(serviceKey);
        }
    }

    private void Set(string serviceKey, string sliceName, long version)
    {
        lock (gate)
        {
            if (!expected.TryGetValue(serviceKey, out var slices))
            {
                expected[serviceKey] = slices = new Dictionary<string, long>(StringComparer.Ordinal);
            }
            slices[sliceName] = version;
        }
    }

    private void Remove(string serviceKey, Dictionary<string, long> slices, string sliceName)
    {
        slices.Remove(sliceName);
        if (slices.Count == 0)
        {
            expected.Remove(serviceKey);
        }
    }

    /// <summary>resourceVersion is the storage revision here: a number that grows with every write.</summary>
    private static long Version(V1EndpointSlice slice) =>
        long.TryParse(slice.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
