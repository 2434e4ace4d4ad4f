using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Nodes, as upstream's node strategy: unlike other kinds with a status subresource, every field including status
/// may be set on create, because a kubelet registers its Node with its addresses, capacity and conditions at once.
/// Updates still leave status to the status subresource.
/// </summary>
internal sealed class NodeStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public override void PrepareForCreate(JsonObject obj)
    {
    }
}
