using k8s;

namespace K8sSharp.Client;

/// <summary>
/// API clients for the cluster's own components. Each identifies itself with upstream's component name in its
/// User-Agent (<c>kube-controller-manager/v1.35.2 (linux/amd64) k8ssharp</c>), because the API server derives the
/// field manager of non-apply writes from it: managedFields then name the component as on a real cluster.
/// </summary>
public static class ComponentClient
{
    public const string KubernetesVersion = "v1.35.2";

    public static Kubernetes Create(KubernetesClientConfiguration config, string component)
    {
        var client = new Kubernetes(config);
        client.HttpClient.DefaultRequestHeaders.UserAgent.Clear();
        client.HttpClient.DefaultRequestHeaders.UserAgent.ParseAdd($"{component}/{KubernetesVersion} (linux/amd64) k8ssharp");
        return client;
    }
}
