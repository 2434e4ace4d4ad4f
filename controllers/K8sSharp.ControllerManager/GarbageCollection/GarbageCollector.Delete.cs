using k8s.Models;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.GarbageCollection;

internal sealed partial class GarbageCollector
{
    /// <summary>
    /// attemptToDelete: re-reads the object; if it is deleting its dependents in the foreground, removes its
    /// <c>foregroundDeletion</c> finalizer once no blocking dependent is left (or nudges those that are); otherwise looks
    /// up each owner live (in the dependent's own namespace, so a reference across namespaces finds nothing) and acts
    /// on <see cref="OwnerDecisions.Decide"/>.
    /// </summary>
    private async Task AttemptToDeleteAsync(string uid, CancellationToken cancellationToken)
    {
        if (Graph.Get(uid) is not { } node)
        {
            return;
        }
        var latest = await GetLiveAsync(node.Identity, cancellationToken);
        if (latest is null)
        {
            return; // gone or replaced: its monitor reports the deletion, which re-checks the dependents
        }
        var finalizers = latest.Finalizers ?? [];
        if (latest.DeletionTimestamp is not null)
        {
            if (finalizers.Contains(GraphNode.ForegroundFinalizer))
            {
                await ProcessDeletingDependentsAsync(node, latest, cancellationToken);
            }
            return;
        }
        if (latest.OwnerReferences is not { Count: > 0 } references)
        {
            return;
        }
        var owners = new List<(V1OwnerReference, OwnerState)>();
        foreach (var reference in references)
        {
            if (await ClassifyAsync(node.Identity, reference, cancellationToken) is not { } state)
            {
                return;
            }
            owners.Add((reference, state));
        }
        var decision = OwnerDecisions.Decide(owners, Graph.DependentsOf(uid).Count > 0, [.. finalizers]);
        await ApplyAsync(node.Identity, latest, decision, cancellationToken);
    }

    /// <returns>The owner's state, or null when the reference is invalid (a cluster-scoped object cannot have a namespaced owner).</returns>
    private async Task<OwnerState?> ClassifyAsync(ObjectIdentity dependent, V1OwnerReference reference, CancellationToken cancellationToken)
    {
        var ownerResource = Monitors.Resources.Find(reference.ApiVersion, reference.Kind)
            ?? throw new InvalidOperationException($"{dependent}: owner kind {reference.ApiVersion}/{reference.Kind} is not served (yet)");
        if (ownerResource.Namespaced && dependent.Namespace.Length == 0)
        {
            LogInvalidOwner(Logger, dependent.ToString(), reference.Kind, reference.Name);
            return null;
        }
        var owner = await resources.GetMetadataAsync(ownerResource.Resource, ownerResource.Namespaced ? dependent.Namespace : null, reference.Name, cancellationToken);
        return OwnerDecisions.Classify(reference, owner?.Metadata);
    }

    private async Task ApplyAsync(ObjectIdentity item, V1ObjectMeta latest, OwnerDecision decision, CancellationToken cancellationToken)
    {
        switch (decision)
        {
            case OwnerDecision.RemoveReferences remove:
                LogRemovingReferences(Logger, item.ToString(), string.Join(",", remove.OwnerUids));
                await PatchOwnerReferencesAsync(item, latest, latest.OwnerReferences.Where(o => !remove.OwnerUids.Contains(o.Uid)).ToList(), cancellationToken);
                break;
            case OwnerDecision.Delete delete:
                LogDeleting(Logger, item.ToString(), delete.PropagationPolicy);
                await DeleteAsync(item, latest, delete.PropagationPolicy, cancellationToken);
                break;
        }
    }

    /// <summary>Foreground deletion: the owner goes once no dependent with blockOwnerDeletion is left.</summary>
    private async Task ProcessDeletingDependentsAsync(GraphNode owner, V1ObjectMeta latest, CancellationToken cancellationToken)
    {
        var blocking = Graph.BlockingDependentsOf(owner.Uid);
        if (blocking.Count == 0)
        {
            LogForegroundDone(Logger, owner.Identity.ToString());
            await RemoveFinalizerAsync(owner.Identity, latest, GraphNode.ForegroundFinalizer, cancellationToken);
            return;
        }
        foreach (var dependent in blocking.Where(d => !d.DeletingDependents))
        {
            Queue.Add(DeletePrefix + dependent.Uid);
        }
    }

    private async Task DeleteAsync(ObjectIdentity item, V1ObjectMeta latest, string policy, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions
        {
            PropagationPolicy = policy,
            Preconditions = new V1Preconditions { Uid = item.Uid, ResourceVersion = latest.ResourceVersion },
        };
        try
        {
            await resources.DeleteAsync(item.Resource.Resource, NamespaceOf(item), item.Name, options, cancellationToken);
        }
        catch (Exception e) when (Hosting.ApiErrors.IsNotFound(e))
        {
            // Deleted meanwhile: nothing left to do.
        }
    }

    [LoggerMessage(EventId = 5410, Level = LogLevel.Information, Message = "garbage collector: deleting {Object} (propagationPolicy {Policy}): no owner keeps it")]
    private static partial void LogDeleting(ILogger logger, string @object, string policy);

    [LoggerMessage(EventId = 5411, Level = LogLevel.Information, Message = "garbage collector: {Object} keeps a live owner; removing references to owners {Owners}")]
    private static partial void LogRemovingReferences(ILogger logger, string @object, string owners);

    [LoggerMessage(EventId = 5412, Level = LogLevel.Information, Message = "garbage collector: {Object} has no blocking dependents left; removing foregroundDeletion")]
    private static partial void LogForegroundDone(ILogger logger, string @object);

    [LoggerMessage(EventId = 5413, Level = LogLevel.Warning, Message = "garbage collector: {Object} is cluster-scoped but names a namespaced owner {Kind} {Name} (OwnerRefInvalidNamespace); ignored")]
    private static partial void LogInvalidOwner(ILogger logger, string @object, string kind, string name);
}
