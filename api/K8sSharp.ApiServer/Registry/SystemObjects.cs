using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>Creates the objects every cluster has, if missing: the four system namespaces.</summary>
internal static class SystemObjects
{
    private static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static async Task EnsureAsync(StoreRegistry registry, CancellationToken ct)
    {
        foreach (var name in Namespaces)
        {
            var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
            try
            {
                await registry.Namespaces.CreateAsync(null, ns, new WriteOptions(FieldManager: "k8ssharp-apiserver"), ct);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Already there from an earlier start.
            }
        }
    }
}
