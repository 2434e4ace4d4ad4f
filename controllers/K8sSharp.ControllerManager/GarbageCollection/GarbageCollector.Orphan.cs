using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.GarbageCollection;

internal sealed partial class GarbageCollector
{
    private const string MergePatch = "application/merge-patch+json";

    /// <summary>
    /// attemptToOrphan: an owner deleted with the orphan policy. Every dependent loses its reference to the owner, then
    /// the owner loses its <c>orphan</c> finalizer (and with it, if nothing else holds it, its last reason to stay).
    /// </summary>
    private async Task AttemptToOrphanAsync(string uid, CancellationToken cancellationToken)
    {
        if (Graph.Get(uid) is not { } node)
        {
            return;
        }
        var owner = await GetLiveAsync(node.Identity, cancellationToken);
        if (owner is not { DeletionTimestamp: not null } || owner.Finalizers?.Contains(GraphNode.OrphanFinalizer) != true)
        {
            return;
        }
        foreach (var dependent in Graph.DependentsOf(uid))
        {
            var latest = await GetLiveAsync(dependent.Identity, cancellationToken);
            if (latest?.OwnerReferences?.Any(o => o.Uid == uid) == true)
            {
                await PatchOwnerReferencesAsync(dependent.Identity, latest, latest.OwnerReferences.Where(o => o.Uid != uid).ToList(), cancellationToken);
            }
        }
        LogOrphaned(Logger, node.Identity.ToString());
        await RemoveFinalizerAsync(node.Identity, owner, GraphNode.OrphanFinalizer, cancellationToken);
    }

    /// <summary>The live metadata of the object, or null when it is gone or another object now has its name.</summary>
    private async Task<V1ObjectMeta?> GetLiveAsync(ObjectIdentity identity, CancellationToken cancellationToken)
    {
        var live = await resources.GetMetadataAsync(identity.Resource.Resource, NamespaceOf(identity), identity.Name, cancellationToken);
        return live?.Metadata.Uid == identity.Uid ? live.Metadata : null;
    }

    /// <summary>Replaces the owner references, pinned to the resourceVersion they were read at (a 409 retries).</summary>
    private Task PatchOwnerReferencesAsync(ObjectIdentity item, V1ObjectMeta latest, List<V1OwnerReference> remaining, CancellationToken cancellationToken) =>
        PatchMetadataAsync(item, "ownerReferences", remaining.Count == 0 ? null : JsonNode.Parse(KubernetesJson.Serialize(remaining)), latest.ResourceVersion, cancellationToken);

    private Task RemoveFinalizerAsync(ObjectIdentity item, V1ObjectMeta latest, string finalizer, CancellationToken cancellationToken)
    {
        var remaining = (latest.Finalizers ?? []).Where(f => f != finalizer).ToList();
        var value = remaining.Count == 0 ? null : new JsonArray([.. remaining.Select(f => (JsonNode)f)]);
        return PatchMetadataAsync(item, "finalizers", value, latest.ResourceVersion, cancellationToken);
    }

    private async Task PatchMetadataAsync(ObjectIdentity item, string field, JsonNode? value, string resourceVersion, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { [field] = value, ["resourceVersion"] = resourceVersion } };
        try
        {
            await resources.PatchAsync(item.Resource.Resource, NamespaceOf(item), item.Name, MergePatch, patch.ToJsonString(), cancellationToken);
        }
        catch (Exception e) when (Hosting.ApiErrors.IsNotFound(e))
        {
            // Deleted meanwhile: nothing left to release.
        }
    }

    private static string? NamespaceOf(ObjectIdentity identity) => identity.Namespace.Length == 0 ? null : identity.Namespace;

    [LoggerMessage(EventId = 5414, Level = LogLevel.Information, Message = "garbage collector: orphaned the dependents of {Object}; removing its orphan finalizer")]
    private static partial void LogOrphaned(ILogger logger, string @object);
}
