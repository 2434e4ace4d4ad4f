namespace K8sSharp.Kubelet.Pods;

/// <summary>
/// Where a pod's files live on the node. Under the kubelet's root dir, as upstream's kubelet dir:
/// <c>pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;name&gt;</c>, <c>etc-hosts</c>, <c>resolv.conf</c>, termination-message files.
/// Logs in the upstream layout: <c>&lt;podLogDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;restartCount&gt;.log</c>, with links in a
/// sibling <c>containers/</c> dir: <c>&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;containerId&gt;.log</c>.
/// </summary>
internal sealed class PodPaths(string rootDir, string podLogDir)
{
    public string RootDir { get; } = Path.GetFullPath(rootDir);

    public string PodLogRoot { get; } = Path.GetFullPath(podLogDir);

    public string ContainerLogLinks => Path.Combine(Path.GetDirectoryName(PodLogRoot.TrimEnd('/'))!, "containers");

    public string PodsDir => Path.Combine(RootDir, "pods");

    public string PodDir(string uid) => Path.Combine(PodsDir, uid);

    public string VolumeDir(string uid, string plugin, string volume) => Path.Combine(PodDir(uid), "volumes", plugin, volume);

    public string EtcHosts(string uid) => Path.Combine(PodDir(uid), "etc-hosts");

    public string ResolvConf(string uid) => Path.Combine(PodDir(uid), "resolv.conf");

    public string TerminationMessageFile(string uid, string container, int restartCount) =>
        Path.Combine(PodDir(uid), "containers", container, $"{restartCount}.termination-log");

    public string PodLogDir(string ns, string pod, string uid) => Path.Combine(PodLogRoot, $"{ns}_{pod}_{uid}");

    public string ContainerLogFile(string ns, string pod, string uid, string container, int restartCount) =>
        Path.Combine(PodLogDir(ns, pod, uid), container, $"{restartCount}.log");

    public string ContainerLogLink(string ns, string pod, string container, string containerId) =>
        Path.Combine(ContainerLogLinks, $"{pod}_{ns}_{container}-{containerId}.log");
}
