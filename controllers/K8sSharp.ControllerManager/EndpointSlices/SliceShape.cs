using k8s;
using k8s.Models;
using K8sSharp.ControllerManager.ServiceEndpoints;

namespace K8sSharp.ControllerManager.EndpointSlices;

/// <summary>
/// The metadata the controller gives its slices (upstream newEndpointSlice, setEndpointSliceLabels, ownedBy): name
/// <c>&lt;service&gt;-&lt;random&gt;</c> by generateName, the Service's labels plus <c>kubernetes.io/service-name</c>,
/// <c>endpointslice.kubernetes.io/managed-by</c> (and <c>service.kubernetes.io/headless</c> for headless Services),
/// a controller ownerReference to the Service, addressType IPv4.
/// </summary>
internal static class SliceShape
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ControllerName = "endpointslice-controller.k8s.io";
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    public static V1EndpointSlice New(V1Service service, IReadOnlyList<Discoveryv1EndpointPort> ports) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            GenerateName = GenerateName(service.Metadata.Name),
            NamespaceProperty = service.Metadata.NamespaceProperty,
            Labels = Labels(service),
            OwnerReferences = [Owner(service)],
        },
        AddressType = "IPv4",
        Ports = [.. ports],
        Endpoints = [],
    };

    /// <summary>A copy of <paramref name="slice"/> with <paramref name="endpoints"/> and current labels and owner.</summary>
    public static V1EndpointSlice Updated(V1EndpointSlice slice, V1Service service, List<V1Endpoint> endpoints)
    {
        var copy = KubernetesJson.Deserialize<V1EndpointSlice>(KubernetesJson.Serialize(slice));
        copy.Endpoints = endpoints;
        copy.Metadata.Labels = Labels(service);
        copy.Metadata.OwnerReferences = [Owner(service)];
        return copy;
    }

    /// <summary>Upstream getEndpointSlicePrefix: the Service name and a dash, cut so that the random suffix still fits 63 characters.</summary>
    private static string GenerateName(string serviceName) =>
        (serviceName.Length > 57 ? serviceName[..57] : serviceName) + "-";

    public static Dictionary<string, string> Labels(V1Service service)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in service.Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (key is not (ServiceNameLabel or ManagedByLabel))
            {
                labels[key] = value;
            }
        }
        labels[ServiceNameLabel] = service.Metadata.Name;
        labels[ManagedByLabel] = ControllerName;
        if (service.Spec.ClusterIP == "None")
        {
            labels[HeadlessLabel] = string.Empty;
        }
        return labels;
    }

    public static V1OwnerReference Owner(V1Service service) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Name = service.Metadata.Name,
        Uid = service.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static bool OwnedBy(V1EndpointSlice slice, V1Service service) =>
        slice.Metadata.OwnerReferences?.Any(r => r.Kind == "Service" && r.Uid == service.Metadata.Uid) == true;

    public static bool HasCurrentMetadata(V1EndpointSlice slice, V1Service service)
    {
        return SameLabels(slice.Metadata.Labels, Labels(service))
            && slice.Metadata.OwnerReferences is { Count: 1 } owners
            && KubernetesJson.Serialize(owners[0]) == KubernetesJson.Serialize(Owner(service));
    }

    /// <summary>Same as the placeholder in what matters (upstream placeholderSliceCompare): no endpoints, no ports, our labels and owner.</summary>
    public static bool IsPlaceholderLike(V1EndpointSlice slice, V1EndpointSlice placeholder) =>
        slice.Endpoints is null or { Count: 0 } && slice.Ports is null or { Count: 0 }
        && slice.AddressType == placeholder.AddressType
        && SameLabels(slice.Metadata.Labels, placeholder.Metadata.Labels)
        && KubernetesJson.Serialize(slice.Metadata.OwnerReferences) == KubernetesJson.Serialize(placeholder.Metadata.OwnerReferences);

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        a ??= new Dictionary<string, string>();
        b ??= new Dictionary<string, string>();
        return a.Count == b.Count && a.All(l => b.TryGetValue(l.Key, out var v) && v == l.Value);
    }

    /// <summary>An endpoint's identity across syncs: the pod it stands for (its first address when it names none).</summary>
    public static string EndpointKey(V1Endpoint endpoint) =>
        endpoint.TargetRef?.Uid is { Length: > 0 } uid ? "uid:" + uid : "ip:" + endpoint.Addresses?.FirstOrDefault();

    public static void Annotate(V1EndpointSlice slice, DateTime? triggerTime)
    {
        slice.Metadata.Annotations ??= new Dictionary<string, string>();
        if (triggerTime is { } time)
        {
            slice.Metadata.Annotations[TriggerTimeTracker.Annotation] = TriggerTimeTracker.Format(time);
        }
        else
        {
            slice.Metadata.Annotations.Remove(TriggerTimeTracker.Annotation);
        }
        if (slice.Metadata.Annotations.Count == 0)
        {
            slice.Metadata.Annotations = null;
        }
    }
}
