using System.Text;
using k8s.Models;

namespace K8sSharp.Kubelet.Pods;

/// <summary>
/// A container's environment as upstream's makeEnvironmentVariables builds it: envFrom sources in order (with their
/// prefix), then env entries in order (a later entry overrides an earlier one; values expand $(VAR) references against
/// what is defined so far and the service variables), then the service-link variables not already defined.
/// A missing non-optional ConfigMap/Secret or key throws <see cref="ContainerConfigException"/>.
/// </summary>
internal static class EnvBuilder
{
    public static List<(string Name, string Value)> Build(V1Pod pod, V1Container container, IObjectSource objects, DownwardContext context)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(objects);
        var ns = pod.Metadata.NamespaceProperty;
        var env = new OrderedEnv();
        foreach (var source in container.EnvFrom ?? [])
        {
            foreach (var (key, value) in EnvFromSource(ns, source, objects))
            {
                env.Set((source.Prefix ?? "") + key, value);
            }
        }
        var services = ServiceEnv.For(pod, objects.ServicesFor(ns));
        var serviceMap = services.ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom is null
                ? Expansion.Expand(variable.Value ?? "", name => env.Get(name) ?? serviceMap.GetValueOrDefault(name))
                : ValueFrom(pod, container, variable, objects, context);
            if (value is not null)
            {
                env.Set(variable.Name, value);
            }
        }
        foreach (var (name, value) in services)
        {
            if (env.Get(name) is null)
            {
                env.Set(name, value);
            }
        }
        return env.Items;
    }

    private static IEnumerable<(string Key, string Value)> EnvFromSource(string ns, V1EnvFromSource source, IObjectSource objects)
    {
        if (source.ConfigMapRef is { } cmRef)
        {
            var cm = objects.GetConfigMap(ns, cmRef.Name);
            if (cm is null)
            {
                return cmRef.Optional == true ? [] : throw new ContainerConfigException($"configmap \"{cmRef.Name}\" not found");
            }
            return (cm.Data ?? new Dictionary<string, string>()).Select(kv => (kv.Key, kv.Value));
        }
        if (source.SecretRef is { } secretRef)
        {
            var secret = objects.GetSecret(ns, secretRef.Name);
            if (secret is null)
            {
                return secretRef.Optional == true ? [] : throw new ContainerConfigException($"secret \"{secretRef.Name}\" not found");
            }
            return (secret.Data ?? new Dictionary<string, byte[]>()).Select(kv => (kv.Key, Encoding.UTF8.GetString(kv.Value)));
        }
        return [];
    }

    /// <summary>The value of an env entry with valueFrom; null when an optional source or key is missing (the variable is skipped).</summary>
    private static string? ValueFrom(V1Pod pod, V1Container container, V1EnvVar variable, IObjectSource objects, DownwardContext context)
    {
        var from = variable.ValueFrom;
        var ns = pod.Metadata.NamespaceProperty;
        if (from.FieldRef is { } fieldRef)
        {
            return FieldRefs.Resolve(pod, fieldRef.FieldPath, context);
        }
        if (from.ResourceFieldRef is { } resourceRef)
        {
            var target = string.IsNullOrEmpty(resourceRef.ContainerName)
                ? container
                : pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? []).First(c => c.Name == resourceRef.ContainerName);
            return FieldRefs.ResolveResource(target, resourceRef.Resource, resourceRef.Divisor, context);
        }
        if (from.ConfigMapKeyRef is { } cmKey)
        {
            var cm = objects.GetConfigMap(ns, cmKey.Name);
            if (cm?.Data?.TryGetValue(cmKey.Key, out var value) == true)
            {
                return value;
            }
            return cmKey.Optional == true ? null
                : throw new ContainerConfigException(cm is null ? $"configmap \"{cmKey.Name}\" not found" : $"couldn't find key {cmKey.Key} in ConfigMap {ns}/{cmKey.Name}");
        }
        if (from.SecretKeyRef is { } secretKey)
        {
            var secret = objects.GetSecret(ns, secretKey.Name);
            if (secret?.Data?.TryGetValue(secretKey.Key, out var bytes) == true)
            {
                return Encoding.UTF8.GetString(bytes);
            }
            return secretKey.Optional == true ? null
                : throw new ContainerConfigException(secret is null ? $"secret \"{secretKey.Name}\" not found" : $"couldn't find key {secretKey.Key} in Secret {ns}/{secretKey.Name}");
        }
        return null;
    }

    /// <summary>Variables in first-definition order; setting an existing name replaces its value in place.</summary>
    private sealed class OrderedEnv
    {
        private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

        public List<(string Name, string Value)> Items { get; } = [];

        public string? Get(string name) => index.TryGetValue(name, out var i) ? Items[i].Value : null;

        public void Set(string name, string value)
        {
            if (index.TryGetValue(name, out var i))
            {
                Items[i] = (name, value);
            }
            else
            {
                index[name] = Items.Count;
                Items.Add((name, value));
            }
        }
    }
}
