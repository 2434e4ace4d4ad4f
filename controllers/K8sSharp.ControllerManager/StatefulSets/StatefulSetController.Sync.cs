using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.Revisions;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.StatefulSets;

/// <summary>The reconcile of one StatefulSet (upstream syncStatefulSet/updateStatefulSet): claim, revisions, steps, claims' owners, status.</summary>
internal sealed partial class StatefulSetController
{
    private const int DefaultRevisionHistoryLimit = 10;

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var set = statefulSets.Get(ns, name);
        if (set is null)
        {
            return;
        }
        var owned = await claims.ClaimAsync(set.Metadata, Reference(set), set.Spec.Selector, pods.List(ns), cancellationToken);
        if (set.Metadata.DeletionTimestamp is not null)
        {
            return; // the garbage collector removes the pods (and, per the retention policy, the claims)
        }
        var owner = new RevisionOwner(set, "StatefulSet", set.Spec.Template?.Metadata?.Labels);
        var revisions = history.Owned(owner);
        var update = await EnsureUpdateRevisionAsync(set, owner, revisions, cancellationToken);
        var current = revisions.FirstOrDefault(r => r.Metadata.Name == set.Status?.CurrentRevision) ?? update;
        var split = StatefulSetPlanner.Split(set, owned);
        await UpdateClaimOwnersAsync(set, owned, cancellationToken);
        var steps = StatefulSetPlanner.Plan(set, split, update.Metadata.Name, Time.GetUtcNow());
        var stepError = await ExecuteAsync(set, steps, current, update, cancellationToken);
        var inUse = owned.Select(StatefulPods.Revision).OfType<string>().Append(current.Metadata.Name).Append(update.Metadata.Name)
            .ToHashSet(StringComparer.Ordinal);
        await history.TruncateAsync(history.Owned(owner), inUse, set.Spec.RevisionHistoryLimit ?? DefaultRevisionHistoryLimit, cancellationToken);
        await UpdateStatusAsync(set, owned, current.Metadata.Name, update.Metadata.Name, cancellationToken);
        if (stepError is not null)
        {
            throw stepError;
        }
    }

    /// <summary>The revision of the set's template; a hash collision bumps status.collisionCount and retries.</summary>
    private async Task<V1ControllerRevision> EnsureUpdateRevisionAsync(
        V1StatefulSet set, RevisionOwner owner, IReadOnlyList<V1ControllerRevision> revisions, CancellationToken cancellationToken)
    {
        var patch = RevisionData.PatchFor(set.Spec.Template!);
        try
        {
            return await history.EnsureAsync(owner, revisions, patch, RevisionData.Hash(patch, set.Status?.CollisionCount), cancellationToken);
        }
        catch (RevisionCollisionException)
        {
            var bump = new JsonObject { ["status"] = new JsonObject { ["collisionCount"] = (set.Status?.CollisionCount ?? 0) + 1 } };
            await client.AppsV1.PatchNamespacedStatefulSetStatusAsync(
                new V1Patch(bump.ToJsonString(), V1Patch.PatchType.MergePatch), set.Metadata.Name, set.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
            throw;
        }
    }

    /// <summary>Runs the planned steps in order; returns the first failure (the status is still written).</summary>
    private async Task<Exception?> ExecuteAsync(
        V1StatefulSet set, List<StatefulStep> steps, V1ControllerRevision current, V1ControllerRevision update, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            try
            {
                if (step.IsCreate)
                {
                    var revision = step.FromUpdateRevision ? update : current;
                    await CreatePodAsync(set, step.Ordinal, revision, cancellationToken);
                }
                else
                {
                    await DeletePodAsync(set, step.Victim!, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return e;
            }
        }
        return null;
    }

    private async Task CreatePodAsync(V1StatefulSet set, int ordinal, V1ControllerRevision revision, CancellationToken cancellationToken)
    {
        var podName = StatefulPods.Name(set, ordinal);
        await CreateMissingClaimsAsync(set, ordinal, podName, cancellationToken);
        var template = RevisionData.TemplateOf(revision) ?? set.Spec.Template!;
        var pod = StatefulPods.New(set, template, ordinal, revision.Metadata.Name, Reference(set));
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(pod, set.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            LogCreated(Logger, ObjectKeys.For(set), podName, revision.Metadata.Name);
            events.Event(set, EventTypes.Normal, "SuccessfulCreate", $"create Pod {podName} in StatefulSet {set.Metadata.Name} successful");
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e) || ApiErrors.IsNamespaceTerminating(e))
        {
            // our cache was behind (the pod's event will requeue us), or the namespace is going away
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            events.Event(set, EventTypes.Warning, "FailedCreate", $"create Pod {podName} in StatefulSet {set.Metadata.Name} failed error: {e.Message}");
            throw;
        }
    }

    private async Task DeletePodAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        var podName = pod.Metadata.Name;
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(podName, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            LogDeleted(Logger, ObjectKeys.For(set), podName);
            events.Event(set, EventTypes.Normal, "SuccessfulDelete", $"delete Pod {podName} in StatefulSet {set.Metadata.Name} successful");
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // already gone
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            events.Event(set, EventTypes.Warning, "FailedDelete", $"delete Pod {podName} in StatefulSet {set.Metadata.Name} failed error: {e.Message}");
            throw;
        }
    }

    private async Task UpdateStatusAsync(V1StatefulSet set, List<V1Pod> owned, string current, string update, CancellationToken cancellationToken)
    {
        var status = StatefulSetStatuses.Compute(set, owned, current, update, Time.GetUtcNow());
        if (!StatefulSetStatuses.Same(set.Status, status))
        {
            await client.AppsV1.PatchNamespacedStatefulSetStatusAsync(
                new V1Patch(StatefulSetStatuses.ToPatch(status).ToJsonString(), V1Patch.PatchType.MergePatch), set.Metadata.Name,
                set.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        if (set.Spec.MinReadySeconds is > 0 and var seconds && status.ReadyReplicas != status.AvailableReplicas)
        {
            Queue.AddAfter(ObjectKeys.For(set), TimeSpan.FromSeconds(seconds));
        }
    }

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "{StatefulSet}: created pod {Pod} at revision {Revision}")]
    private static partial void LogCreated(ILogger logger, string statefulSet, string pod, string revision);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Information, Message = "{StatefulSet}: deleted pod {Pod}")]
    private static partial void LogDeleted(ILogger logger, string statefulSet, string pod);
}
