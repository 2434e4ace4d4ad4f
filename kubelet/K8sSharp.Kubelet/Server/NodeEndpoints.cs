using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace K8sSharp.Kubelet.Server;

/// <summary><c>/pods</c>: the pods bound to this node as the kubelet sees them (a v1 PodList, as upstream).</summary>
internal sealed class NodeEndpoints(INodePods pods)
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/pods", (NodeEndpoints endpoints) => endpoints.PodList());
    }

    public IResult PodList()
    {
        var list = new V1PodList
        {
            ApiVersion = "v1",
            Kind = "PodList",
            Metadata = new V1ListMeta(),
            Items = [.. pods.List()],
        };
        return Results.Text(KubernetesJson.Serialize(list), "application/json");
    }
}
