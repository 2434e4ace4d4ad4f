using System.Text;
using k8s.Models;
using K8sSharp.Kubelet.Pods;

namespace K8sSharp.Kubelet.Volumes;

/// <summary>A volume cannot be set up (yet): the message ends the FailedMount event.</summary>
internal sealed class VolumeSetupException(string message) : Exception(message);

/// <summary>
/// The file payloads of the API-backed volumes (configMap, secret, downwardAPI and the projected sources) from the
/// kubelet's caches: every key, or only the listed items at their paths, with item mode, else defaultMode, else 0644.
/// </summary>
internal sealed class Projections(IObjectSource objects)
{
    public const int DefaultMode = 420; // 0644

    public Dictionary<string, FileProjection>? ConfigMap(string ns, string name, IList<V1KeyToPath>? items, bool optional, int? defaultMode)
    {
        var cm = objects.GetConfigMap(ns, name);
        if (cm is null)
        {
            return optional ? [] : throw new VolumeSetupException($"configmap \"{name}\" not found");
        }
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in cm.Data ?? new Dictionary<string, string>())
        {
            data[key] = Encoding.UTF8.GetBytes(value);
        }
        foreach (var (key, value) in cm.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }
        return Project(data, items, optional, defaultMode, "configmap");
    }

    public Dictionary<string, FileProjection>? Secret(string ns, string name, IList<V1KeyToPath>? items, bool optional, int? defaultMode)
    {
        var secret = objects.GetSecret(ns, name);
        if (secret is null)
        {
            return optional ? [] : throw new VolumeSetupException($"secret \"{name}\" not found");
        }
        return Project(new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal), items, optional, defaultMode, "secret");
    }

    public static Dictionary<string, FileProjection> DownwardApi(V1Pod pod, IList<V1DownwardAPIVolumeFile>? items, int? defaultMode, DownwardContext context)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            string value;
            if (item.FieldRef is { } fieldRef)
            {
                value = FieldRefs.Resolve(pod, fieldRef.FieldPath, context);
            }
            else if (item.ResourceFieldRef is { } resourceRef)
            {
                var container = pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == resourceRef.ContainerName)
                    ?? throw new VolumeSetupException($"container \"{resourceRef.ContainerName}\" not found in pod");
                value = FieldRefs.ResolveResource(container, resourceRef.Resource, resourceRef.Divisor, context);
            }
            else
            {
                continue;
            }
            payload[item.Path] = new FileProjection(Encoding.UTF8.GetBytes(value), (UnixFileMode)(item.Mode ?? defaultMode ?? DefaultMode));
        }
        return payload;
    }

    private static Dictionary<string, FileProjection> Project(Dictionary<string, byte[]> data, IList<V1KeyToPath>? items, bool optional, int? defaultMode, string kind)
    {
        var mode = (UnixFileMode)(defaultMode ?? DefaultMode);
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        if (items is null || items.Count == 0)
        {
            foreach (var (key, value) in data)
            {
                payload[key] = new FileProjection(value, mode);
            }
            return payload;
        }
        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var value))
            {
                if (optional)
                {
                    continue;
                }
                throw new VolumeSetupException($"{kind} references non-existent config key: {item.Key}");
            }
            payload[item.Path] = new FileProjection(value, item.Mode is { } itemMode ? (UnixFileMode)itemMode : mode);
        }
        return payload;
    }
}
