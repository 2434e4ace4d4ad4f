using k8s.Models;
using K8sSharp.Kubelet.Pods;

namespace K8sSharp.Kubelet.Tests;

/// <summary>Pods and API objects for the unit tests.</summary>
internal static class TestPods
{
    public static V1Pod Pod(string name = "web", string ns = "team", params V1Container[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = "uid-" + name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec
        {
            NodeName = "node-a",
            Containers = containers.Length > 0 ? [.. containers] : [new V1Container { Name = "c", Image = "busybox:1.35" }],
            RestartPolicy = "Always",
        },
    };

    public static V1ConfigMap ConfigMap(string ns, string name, Dictionary<string, string> data) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = data };

    public static V1Secret Secret(string ns, string name, Dictionary<string, string> data) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = data.ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetBytes(kv.Value)) };

    public static V1Service Service(string ns, string name, string clusterIp, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Ports = [.. ports] },
    };
}

/// <summary>An <see cref="IObjectSource"/> holding a fixed set of objects (what the informers would hold).</summary>
internal sealed class StaticObjects : IObjectSource
{
    public List<V1ConfigMap> ConfigMaps { get; } = [];

    public List<V1Secret> Secrets { get; } = [];

    public List<V1Service> Services { get; } = [];

    public V1ConfigMap? GetConfigMap(string ns, string name) => ConfigMaps.FirstOrDefault(c => c.Metadata.NamespaceProperty == ns && c.Metadata.Name == name);

    public V1Secret? GetSecret(string ns, string name) => Secrets.FirstOrDefault(c => c.Metadata.NamespaceProperty == ns && c.Metadata.Name == name);

    public IReadOnlyList<V1Service> ServicesFor(string ns) =>
        [.. Services.Where(s => s.Metadata.NamespaceProperty == ns || (s.Metadata.NamespaceProperty == "default" && s.Metadata.Name == "kubernetes"))];
}
