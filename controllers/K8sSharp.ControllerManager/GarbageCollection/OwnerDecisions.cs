using k8s.Models;

namespace K8sSharp.ControllerManager.GarbageCollection;

/// <summary>The state of one owner a dependent names (upstream's classifyReferences).</summary>
internal enum OwnerState
{
    /// <summary>Exists with the referenced uid and is not deleting its dependents.</summary>
    Solid,

    /// <summary>Absent, or replaced by an object with another uid.</summary>
    Dangling,

    /// <summary>Exists and is being deleted in the foreground: it waits for its dependents to go.</summary>
    WaitingForDependents,
}

/// <summary>What to do with a dependent after classifying its owners.</summary>
internal abstract record OwnerDecision
{
    public sealed record Keep : OwnerDecision;

    /// <summary>Some owners remain: drop only the references to owners that are gone or waiting for it.</summary>
    public sealed record RemoveReferences(IReadOnlyList<string> OwnerUids) : OwnerDecision;

    /// <summary>No owner keeps it: delete it with this propagation policy.</summary>
    public sealed record Delete(string PropagationPolicy) : OwnerDecision;
}

/// <summary>The garbage collector's decisions as pure functions of what it observed (upstream attemptToDeleteItem).</summary>
internal static class OwnerDecisions
{
    /// <summary>
    /// Classifies an owner reference from the live owner (null when not found): a uid mismatch is as good as absent;
    /// an owner being deleted with the foregroundDeletion finalizer is waiting for its dependents.
    /// </summary>
    public static OwnerState Classify(V1OwnerReference reference, V1ObjectMeta? liveOwner)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (liveOwner is null || liveOwner.Uid != reference.Uid)
        {
            return OwnerState.Dangling;
        }
        return liveOwner.DeletionTimestamp is not null && liveOwner.Finalizers?.Contains(GraphNode.ForegroundFinalizer) == true
            ? OwnerState.WaitingForDependents
            : OwnerState.Solid;
    }

    /// <summary>
    /// With a solid owner the dependent stays (references to dangling or waiting owners are removed). With owners
    /// waiting for it and dependents of its own, it is deleted in the foreground, so the wait covers the whole chain.
    /// Otherwise it is deleted with the policy its own finalizers already ask for, else in the background.
    /// </summary>
    public static OwnerDecision Decide(IReadOnlyList<(V1OwnerReference Reference, OwnerState State)> owners, bool hasDependents, IReadOnlyList<string> finalizers)
    {
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(finalizers);
        if (owners.Count == 0)
        {
            return new OwnerDecision.Keep();
        }
        if (owners.Any(o => o.State == OwnerState.Solid))
        {
            var stale = owners.Where(o => o.State != OwnerState.Solid).Select(o => o.Reference.Uid).ToList();
            return stale.Count == 0 ? new OwnerDecision.Keep() : new OwnerDecision.RemoveReferences(stale);
        }
        if (owners.Any(o => o.State == OwnerState.WaitingForDependents) && hasDependents)
        {
            return new OwnerDecision.Delete("Foreground");
        }
        var policy = finalizers.Contains(GraphNode.OrphanFinalizer) ? "Orphan"
            : finalizers.Contains(GraphNode.ForegroundFinalizer) ? "Foreground"
            : "Background";
        return new OwnerDecision.Delete(policy);
    }
}
