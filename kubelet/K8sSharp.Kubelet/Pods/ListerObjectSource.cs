using k8s.Models;
using K8sSharp.Client.Cache;

namespace K8sSharp.Kubelet.Pods;

/// <summary><see cref="IObjectSource"/> over the kubelet's ConfigMap, Secret and Service informers.</summary>
internal sealed class ListerObjectSource(Lister<V1ConfigMap> configMaps, Lister<V1Secret> secrets, Lister<V1Service> services) : IObjectSource
{
    public V1ConfigMap? GetConfigMap(string ns, string name) => configMaps.Get(ns, name);

    public V1Secret? GetSecret(string ns, string name) => secrets.Get(ns, name);

    public IReadOnlyList<V1Service> ServicesFor(string ns) =>
        [.. services.List(ns), .. ns == "default" ? [] : services.List("default").Where(s => s.Metadata.Name == "kubernetes")];
}
