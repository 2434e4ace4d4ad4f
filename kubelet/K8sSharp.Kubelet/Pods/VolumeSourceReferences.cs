using k8s.Models;

namespace K8sSharp.Kubelet.Pods;

/// <summary>Which ConfigMaps and Secrets a pod's volumes project (configMap, secret and projected sources), by name.</summary>
internal static class VolumeSourceReferences
{
    public static bool UsesConfigMap(V1Pod pod, string name) =>
        (pod.Spec?.Volumes ?? []).Any(v => v.ConfigMap?.Name == name
            || (v.Projected?.Sources ?? []).Any(s => s.ConfigMap?.Name == name));

    public static bool UsesSecret(V1Pod pod, string name) =>
        (pod.Spec?.Volumes ?? []).Any(v => v.Secret?.SecretName == name
            || (v.Projected?.Sources ?? []).Any(s => s.Secret?.Name == name));
}
