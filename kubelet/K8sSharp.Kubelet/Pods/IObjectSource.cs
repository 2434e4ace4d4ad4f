using k8s.Models;

namespace K8sSharp.Kubelet.Pods;

/// <summary>
/// The API objects a pod's env and volumes are built from, read from the kubelet's caches (informers), never from a
/// request per container start. Null means "not found".
/// </summary>
internal interface IObjectSource
{
    V1ConfigMap? GetConfigMap(string ns, string name);

    V1Secret? GetSecret(string ns, string name);

    /// <summary>Services of <paramref name="ns"/> plus the master service default/kubernetes.</summary>
    IReadOnlyList<V1Service> ServicesFor(string ns);
}

/// <summary>A referenced ConfigMap/Secret (or one of its keys) that is not optional is missing: CreateContainerConfigError.</summary>
internal sealed class ContainerConfigException(string message) : Exception(message);
