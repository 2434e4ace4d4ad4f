using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace K8sSharp.Kubelet.Pods;

/// <summary>What the downward API may read besides the pod itself: addresses and the node's allocatable (the default for unset limits).</summary>
internal sealed record DownwardContext(string PodIp, string HostIp, IDictionary<string, ResourceQuantity> NodeAllocatable);

/// <summary>The downward API: fieldRef paths and resourceFieldRef values (pkg/fieldpath, pkg/api/v1/resource).</summary>
internal static partial class FieldRefs
{
    /// <summary>
    /// metadata.name/namespace/uid, metadata.labels['k'] and annotations['k'] (or the whole map, as downward API files
    /// render it), spec.nodeName, spec.serviceAccountName, status.podIP(s), status.hostIP(s).
    /// </summary>
    public static string Resolve(V1Pod pod, string fieldPath, DownwardContext context)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(fieldPath);
        ArgumentNullException.ThrowIfNull(context);
        var subscript = Subscript().Match(fieldPath);
        if (subscript.Success)
        {
            var map = subscript.Groups[1].Value == "labels" ? pod.Metadata.Labels : pod.Metadata.Annotations;
            return map?.TryGetValue(subscript.Groups[2].Value, out var value) == true ? value : "";
        }
        return fieldPath switch
        {
            "metadata.name" => pod.Metadata.Name,
            "metadata.namespace" => pod.Metadata.NamespaceProperty,
            "metadata.uid" => pod.Metadata.Uid,
            "metadata.labels" => FormatMap(pod.Metadata.Labels),
            "metadata.annotations" => FormatMap(pod.Metadata.Annotations),
            "spec.nodeName" => pod.Spec.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "",
            "status.podIP" or "status.podIPs" => context.PodIp,
            "status.hostIP" or "status.hostIPs" => context.HostIp,
            _ => throw new ContainerConfigException($"unsupported fieldPath: {fieldPath}"),
        };
    }

    /// <summary>key="value" lines, sorted by key, values quoted as Go's %q: the downward API volume format for a map.</summary>
    public static string FormatMap(IDictionary<string, string>? map) =>
        string.Join('\n', (map ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}=\"{kv.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\""));

    /// <summary>
    /// limits.cpu/memory/ephemeral-storage and requests.* of a container divided by the divisor, rounded up (as
    /// upstream's ExtractContainerResourceValue); an unset limit is the node's allocatable.
    /// </summary>
    public static string ResolveResource(V1Container container, string resource, ResourceQuantity? divisor, DownwardContext context)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        var parts = resource.Split('.', 2);
        if (parts.Length != 2 || parts[0] is not ("limits" or "requests"))
        {
            throw new ContainerConfigException($"unsupported resource: {resource}");
        }
        var source = parts[0] == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        ResourceQuantity? quantity = null;
        if (source?.TryGetValue(parts[1], out var q) == true)
        {
            quantity = q;
        }
        else if (parts[0] == "limits" || !(container.Resources?.Limits?.TryGetValue(parts[1], out quantity) ?? false))
        {
            quantity = context.NodeAllocatable.TryGetValue(parts[1], out var allocatable) ? allocatable : null;
        }
        var value = quantity?.ToDecimal() ?? 0m;
        var by = divisor?.ToDecimal() ?? 1m;
        if (by == 0m)
        {
            by = 1m;
        }
        return Math.Ceiling(value / by).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['(.+)'\]$")]
    private static partial Regex Subscript();
}
