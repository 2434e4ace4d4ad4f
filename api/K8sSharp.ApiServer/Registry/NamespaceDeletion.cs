using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry.Strategies;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// DELETE of a namespace, as upstream's namespace REST storage: the system namespaces are protected; otherwise the
/// generic store marks it (deletionTimestamp, phase Terminating through <see cref="NamespaceStrategy"/>), and the
/// namespace controller empties it and clears <c>spec.finalizers</c> through <c>/finalize</c>, which removes it. A
/// second DELETE while the content is being removed answers 409, as upstream.
/// </summary>
internal sealed class NamespaceDeletion(StoreRegistry registry)
{
    private static readonly HashSet<string> Protected = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    public async Task<(JsonObject Object, bool Deleted)> DeleteAsync(string name, DeleteRequest request, CancellationToken ct)
    {
        if (Protected.Contains(name))
        {
            throw ApiException.Forbidden($"namespaces \"{name}\" is forbidden: this namespace may not be deleted");
        }
        var store = registry.Namespaces;
        var current = await store.GetAsync(null, name, ct);
        if (current.IsBeingDeleted() && NamespaceStrategy.SpecFinalizers(current) is { Count: > 0 })
        {
            throw ApiException.Conflict("", "namespaces", name,
                "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.");
        }
        return await store.DeleteAsync(null, name, request, ct);
    }
}
