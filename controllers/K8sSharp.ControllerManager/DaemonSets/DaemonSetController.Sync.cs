using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using K8sSharp.ControllerManager.Revisions;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.DaemonSets;

/// <summary>The reconcile of one DaemonSet (upstream syncDaemonSet): claim pods, revisions, manage, roll, status.</summary>
internal sealed partial class DaemonSetController
{
    private const int DefaultRevisionHistoryLimit = 10;

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var ds = daemonSets.Get(ns, name);
        if (ds is null)
        {
            expectations.Delete(key);
            return;
        }
        var needsSync = expectations.Satisfied(key);
        var owned = await claims.ClaimAsync(ds.Metadata, Reference(ds), ds.Spec.Selector, pods.List(ns), cancellationToken);
        var nodeList = nodes.List();
        if (ds.Metadata.DeletionTimestamp is not null)
        {
            return; // the garbage collector removes the pods; nothing to converge
        }
        var owner = new RevisionOwner(ds, "DaemonSet", ds.Spec.Template?.Metadata?.Labels);
        var revisions = history.Owned(owner);
        var current = await EnsureRevisionAsync(ds, owner, revisions, cancellationToken);
        var hash = current.Metadata.Label(RevisionData.HashLabel) ?? string.Empty;
        var byNode = ByTargetNode(owned);
        if (needsSync)
        {
            var plan = DaemonSetPlanner.Manage(ds, nodeList, byNode, hash);
            if (plan.IsEmpty && DaemonSetStrategy.IsRollingUpdate(ds))
            {
                plan = DaemonSetRollingUpdate.Plan(ds, nodeList, byNode, hash, Time.GetUtcNow());
            }
            await ExecuteAsync(ds, key, plan, hash, cancellationToken);
            var inUse = owned.Select(p => p.Metadata.Label(RevisionData.HashLabel)).OfType<string>()
                .Select(h => RevisionData.Name(ds.Metadata.Name, h)).Append(current.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            await history.TruncateAsync(history.Owned(owner), inUse, ds.Spec.RevisionHistoryLimit ?? DefaultRevisionHistoryLimit, cancellationToken);
        }
        await UpdateStatusAsync(ds, nodeList, byNode, hash, cancellationToken);
    }

    /// <summary>The revision of the current template; a hash collision bumps status.collisionCount and retries.</summary>
    private async Task<V1ControllerRevision> EnsureRevisionAsync(
        V1DaemonSet ds, RevisionOwner owner, IReadOnlyList<V1ControllerRevision> revisions, CancellationToken cancellationToken)
    {
        var templateJson = JsonNode.Parse(KubernetesJson.Serialize(ds.Spec.Template))!;
        var hash = RevisionData.Hash(templateJson, ds.Status?.CollisionCount);
        try
        {
            return await history.EnsureAsync(owner, revisions, RevisionData.PatchFor(ds.Spec.Template!), hash, cancellationToken);
        }
        catch (RevisionCollisionException)
        {
            var patch = new JsonObject { ["status"] = new JsonObject { ["collisionCount"] = (ds.Status?.CollisionCount ?? 0) + 1 } };
            await client.AppsV1.PatchNamespacedDaemonSetStatusAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ds.Metadata.Name, ds.Metadata.NamespaceProperty,
                cancellationToken: cancellationToken);
            throw;
        }
    }

    private static Dictionary<string, List<V1Pod>> ByTargetNode(IEnumerable<V1Pod> owned)
    {
        var byNode = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var pod in owned)
        {
            if (DaemonPods.TargetNode(pod) is { } node)
            {
                if (!byNode.TryGetValue(node, out var list))
                {
                    byNode[node] = list = [];
                }
                list.Add(pod);
            }
        }
        return byNode;
    }

    private async Task ExecuteAsync(V1DaemonSet ds, string key, DaemonSetPlan plan, string hash, CancellationToken cancellationToken)
    {
        if (plan.IsEmpty)
        {
            return;
        }
        LogPlan(Logger, key, plan.CreateOn.Count, plan.Delete.Count);
        // Expect before writing: the informer may report a pod before the call returns.
        expectations.Expect(key, plan.CreateOn.Count, plan.Delete.Select(Pods.Key));
        var errors = (await Task.WhenAll(plan.CreateOn.Select(node => TryCreateAsync(ds, key, node, hash, cancellationToken)))).ToList();
        errors.AddRange(await Task.WhenAll(plan.Delete.Select(pod => TryDeleteAsync(ds, key, pod, cancellationToken))));
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw error;
        }
    }

    private async Task<Exception?> TryCreateAsync(V1DaemonSet ds, string key, string nodeName, string hash, CancellationToken cancellationToken)
    {
        var template = DaemonPods.TemplateFor(ds, nodeName, hash);
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = ds.Metadata.Name + "-",
                NamespaceProperty = ds.Metadata.NamespaceProperty,
                Labels = template.Metadata.Labels,
                Annotations = template.Metadata.Annotations,
                Finalizers = template.Metadata.Finalizers,
                OwnerReferences = [Reference(ds)],
            },
            Spec = template.Spec,
        };
        try
        {
            var created = await client.CoreV1.CreateNamespacedPodAsync(pod, ds.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            events.Event(ds, EventTypes.Normal, "SuccessfulCreate", $"Created pod: {created.Metadata.Name}");
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            expectations.CreationObserved(key);
            if (ApiErrors.IsNamespaceTerminating(e))
            {
                return null;
            }
            events.Event(ds, EventTypes.Warning, "FailedCreate", $"Error creating: {e.Message}");
            return e;
        }
    }

    private async Task<Exception?> TryDeleteAsync(V1DaemonSet ds, string key, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            events.Event(ds, EventTypes.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            expectations.DeletionObserved(key, Pods.Key(pod));
            if (ApiErrors.IsNotFound(e))
            {
                return null;
            }
            events.Event(ds, EventTypes.Warning, "FailedDelete", $"Error deleting: {e.Message}");
            return e;
        }
    }

    private async Task UpdateStatusAsync(
        V1DaemonSet ds, IReadOnlyList<V1Node> nodeList, Dictionary<string, List<V1Pod>> byNode, string hash, CancellationToken cancellationToken)
    {
        var status = DaemonSetStatuses.Compute(ds, nodeList, byNode, hash, Time.GetUtcNow());
        if (!DaemonSetStatuses.Same(ds.Status, status))
        {
            await client.AppsV1.PatchNamespacedDaemonSetStatusAsync(
                new V1Patch(DaemonSetStatuses.ToPatch(status).ToJsonString(), V1Patch.PatchType.MergePatch), ds.Metadata.Name,
                ds.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        if (ds.Spec.MinReadySeconds is > 0 and var seconds && status.NumberReady != status.NumberAvailable)
        {
            Queue.AddAfter(ObjectKeys.For(ds), TimeSpan.FromSeconds(seconds));
        }
    }

    internal static V1OwnerReference Reference(V1DaemonSet ds) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Name = ds.Metadata.Name,
        Uid = ds.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "{DaemonSet}: creating {Creates} and deleting {Deletes} pods")]
    private static partial void LogPlan(ILogger logger, string daemonSet, int creates, int deletes);
}
