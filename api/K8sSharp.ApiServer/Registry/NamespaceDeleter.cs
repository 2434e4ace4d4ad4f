using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// Namespace deletion as users see it upstream: the namespace turns Terminating at once (with a
/// deletionTimestamp), every namespaced object in it is deleted, then the namespace goes away. Upstream the
/// namespace controller does the emptying; until our controller-manager exists the API server does it, in the
/// background, so that <c>kubectl delete namespace</c> behaves the same.
/// </summary>
internal sealed class NamespaceDeleter(StoreRegistry registry, TimeProvider time, ILogger<NamespaceDeleter> logger)
{
    private static readonly HashSet<string> Protected = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    public async Task<(JsonObject Object, bool Deleted)> DeleteAsync(string name, DeleteRequest request, CancellationToken ct)
    {
        if (Protected.Contains(name))
        {
            throw ApiException.Forbidden($"namespaces \"{name}\" is forbidden: this namespace may not be deleted");
        }
        var store = registry.Namespaces;
        var marked = await store.GuaranteedUpdateAsync(null, name, 0, request.DryRun, SystemWriteStrategy.Instance, ns =>
        {
            var metadata = ns.Metadata();
            metadata["deletionTimestamp"] ??= ObjectMeta.FormatTime(time.GetUtcNow());
            metadata["deletionGracePeriodSeconds"] ??= 0;
            ns["status"] = new JsonObject { ["phase"] = "Terminating" };
            metadata["finalizers"] = new JsonArray("kubernetes");
            return ns;
        }, ct, systemWrite: true);
        if (!request.DryRun)
        {
            _ = Task.Run(() => EmptyAndRemoveAsync(name), CancellationToken.None);
        }
        return (marked, false);
    }

    private async Task EmptyAndRemoveAsync(string name)
    {
        try
        {
            foreach (var resource in registry.Catalog.Resources.Where(r => r.Namespaced && r.Verbs.Contains("delete") && r.Verbs.Contains("list")))
            {
                var store = registry.For(resource);
                var page = await store.ListAsync(name, new ListRequest(), CancellationToken.None);
                foreach (var obj in page.Items)
                {
                    await DeleteQuietlyAsync(store, name, obj.Name()!);
                }
            }
            await registry.Namespaces.GuaranteedUpdateAsync(null, name, 0, false, SystemWriteStrategy.Instance, ns =>
            {
                ns.Metadata().Remove("finalizers");
                return ns;
            }, CancellationToken.None, systemWrite: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "Emptying namespace {Namespace} failed; it stays Terminating", name);
        }
    }

    private static async Task DeleteQuietlyAsync(ResourceStore store, string ns, string name)
    {
        try
        {
            await store.DeleteAsync(ns, name, new DeleteRequest(GracePeriodSeconds: 0), CancellationToken.None);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone.
        }
    }
}
