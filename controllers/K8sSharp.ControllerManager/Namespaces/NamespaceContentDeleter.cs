using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sSharp.Client.Dynamic;

namespace K8sSharp.ControllerManager.Namespaces;

/// <summary>
/// Deletes everything in a namespace, as upstream's <c>namespacedResourcesDeleter</c>: every namespaced resource that
/// discovery says supports delete and list, with one deletecollection where supported and per object otherwise, in the
/// background (the garbage collector takes care of dependents). Pods go first and the rest waits until they are gone
/// (KEP-5080 ordered namespace deletion), so workloads never run without their configuration. Each pass reports what
/// is left; the caller repeats until nothing is.
/// </summary>
internal sealed class NamespaceContentDeleter(IKubernetes client)
{
    private static readonly GroupVersionResource Pods = new("", "v1", "pods");
    private static readonly V1DeleteOptions Background = new() { PropagationPolicy = "Background" };

    private readonly ResourceClient resources = new(client);

    public async Task<NamespaceContentReport> DeleteAllAsync(string ns, CancellationToken cancellationToken)
    {
        var report = new NamespaceContentReport();
        DiscoveredResources discovered;
        try
        {
            discovered = await DiscoveredResources.DiscoverAsync(client, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            report.DiscoveryError = e.Message;
            return report;
        }
        var deletable = discovered.All.Where(r => r.Namespaced && r.Supports("delete", "list")).ToList();
        var pods = deletable.Where(r => r.Resource == Pods).ToList();
        foreach (var resource in pods)
        {
            await DeleteResourceAsync(resource, ns, report, cancellationToken);
        }
        if (!report.IsEmpty)
        {
            return report;
        }
        foreach (var resource in deletable.Except(pods))
        {
            await DeleteResourceAsync(resource, ns, report, cancellationToken);
        }
        return report;
    }

    private async Task DeleteResourceAsync(DiscoveredResource resource, string ns, NamespaceContentReport report, CancellationToken cancellationToken)
    {
        var gvr = resource.Resource;
        try
        {
            if (resource.Supports("deletecollection"))
            {
                await resources.DeleteCollectionAsync(gvr, ns, Background, cancellationToken);
            }
            else
            {
                await DeleteEachAsync(gvr, ns, cancellationToken);
            }
            report.AddRemaining(gvr, await resources.ListMetadataAsync(gvr, ns, cancellationToken));
        }
        catch (HttpOperationException e)
        {
            report.DeleteErrors.Add($"{gvr}: {e.Message}");
        }
    }

    private async Task DeleteEachAsync(GroupVersionResource gvr, string ns, CancellationToken cancellationToken)
    {
        foreach (var item in await resources.ListMetadataAsync(gvr, ns, cancellationToken))
        {
            if (item.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }
            try
            {
                await resources.DeleteAsync(gvr, ns, item.Metadata.Name, Background, cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed)
            {
                // Gone already, or not deletable after all: nothing to do for it.
            }
        }
    }
}
