namespace K8sSharp.Kubelet.Runtime;

/// <summary>
/// The labels every Docker container of a pod carries, as the dockershim wrote them (pkg/kubelet/dockershim/labels,
/// naming.go), plus <see cref="Node"/>: several kubelets may share one dockerd, and a kubelet only ever touches (and,
/// after a restart, adopts) the containers labelled with its own node name.
/// </summary>
internal static class ContainerLabels
{
    public const string PodName = "io.kubernetes.pod.name";
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string PodUid = "io.kubernetes.pod.uid";
    public const string ContainerName = "io.kubernetes.container.name";
    public const string DockerType = "io.kubernetes.docker.type";
    public const string RestartCount = "io.kubernetes.container.restartCount";
    public const string SandboxId = "io.kubernetes.sandbox.id";
    public const string SandboxAttempt = "io.kubernetes.sandbox.attempt";
    public const string InitContainer = "io.k8ssharp.container.init";
    public const string Node = "io.k8ssharp.node";
    public const string TypeSandbox = "podsandbox";
    public const string TypeContainer = "container";

    /// <summary>The container name the sandbox gets in <see cref="ContainerName"/> (dockershim's "POD").</summary>
    public const string SandboxContainerName = "POD";

    /// <summary>dockershim's sandbox name: k8s_POD_&lt;pod&gt;_&lt;ns&gt;_&lt;uid&gt;_&lt;attempt&gt;.</summary>
    public static string SandboxDockerName(string pod, string ns, string uid, int attempt) =>
        $"k8s_{SandboxContainerName}_{pod}_{ns}_{uid}_{attempt}";

    /// <summary>dockershim's container name: k8s_&lt;container&gt;_&lt;pod&gt;_&lt;ns&gt;_&lt;uid&gt;_&lt;restartCount&gt;.</summary>
    public static string ContainerDockerName(string container, string pod, string ns, string uid, int restartCount) =>
        $"k8s_{container}_{pod}_{ns}_{uid}_{restartCount}";

    public static Dictionary<string, string> ForPod(string node, string pod, string ns, string uid, string type, string container) => new()
    {
        [PodName] = pod,
        [PodNamespace] = ns,
        [PodUid] = uid,
        [ContainerName] = container,
        [DockerType] = type,
        [Node] = node,
    };
}
