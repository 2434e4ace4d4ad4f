using k8s.Models;
using K8sSharp.Client.Cache;

namespace K8sSharp.Kubelet.Server;

/// <summary>The pods bound to this node, as the kubelet's informer sees them: what the server looks requests up in.</summary>
internal interface INodePods
{
    V1Pod? Get(string ns, string name);

    IReadOnlyList<V1Pod> List();
}

/// <summary>
/// <see cref="INodePods"/> over the kubelet's pod lister, which exists only once the kubelet has started its informers:
/// until <see cref="Attach"/> is called the node looks empty.
/// </summary>
internal sealed class NodePods : INodePods
{
    private volatile Lister<V1Pod>? lister;

    public void Attach(Lister<V1Pod> podLister) => lister = podLister;

    public V1Pod? Get(string ns, string name) => lister?.Get(ns, name);

    public IReadOnlyList<V1Pod> List() => lister?.List() ?? [];
}
