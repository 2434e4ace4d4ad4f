using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Deployments;

/// <summary>Finding, reusing and creating the ReplicaSet of the current template, with its revision (upstream sync.go getNewReplicaSet).</summary>
internal sealed partial class DeploymentController
{
    /// <summary>
    /// The RS whose template equals the deployment's (ignoring the hash label; the oldest if several), and all the
    /// others. The new one gets revision max(old revisions)+1 when it has a lower one, which is how a rollback to an
    /// old template reuses that template's RS under a new revision. With <paramref name="create"/>, a missing new RS is
    /// created.
    /// </summary>
    private async Task<(V1ReplicaSet? NewRS, List<V1ReplicaSet> OldRSs)> GetAllReplicaSetsAndSyncRevisionAsync(
        V1Deployment d, List<V1ReplicaSet> rsList, bool create, CancellationToken cancellationToken)
    {
        var existing = ReplicaSetCounts.ByCreation(rsList).FirstOrDefault(rs => PodTemplateHash.EqualIgnoringHash(rs.Spec.Template, d.Spec.Template));
        var oldRSs = rsList.Where(rs => rs != existing).ToList();
        var newRevision = DeploymentAnnotations.MaxRevision(oldRSs) + 1;
        if (existing is not null)
        {
            await SyncExistingNewReplicaSetAsync(d, existing, newRevision, cancellationToken);
            return (existing, oldRSs);
        }
        if (!create)
        {
            return (null, oldRSs);
        }
        return (await CreateNewReplicaSetAsync(d, oldRSs, newRevision, cancellationToken), oldRSs);
    }

    private async Task SyncExistingNewReplicaSetAsync(V1Deployment d, V1ReplicaSet existing, long newRevision, CancellationToken cancellationToken)
    {
        var copy = Copy(existing);
        var annotationsUpdated = DeploymentAnnotations.SetNewReplicaSetAnnotations(d, copy, newRevision, exists: true);
        if (annotationsUpdated || (copy.Spec.MinReadySeconds ?? 0) != (d.Spec.MinReadySeconds ?? 0))
        {
            copy.Spec.MinReadySeconds = d.Spec.MinReadySeconds;
            await ReplaceReplicaSetAsync(existing, copy, cancellationToken);
        }
        var needsUpdate = DeploymentAnnotations.SetDeploymentRevision(d, DeploymentAnnotations.RevisionText(existing));
        if (DeploymentConditions.HasProgressDeadline(d) && DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing) is null)
        {
            d.Status ??= new V1DeploymentStatus();
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True",
                DeploymentConditions.FoundNewReplicaSet, $"Found new replica set \"{existing.Metadata.Name}\"", Time.GetUtcNow()));
            needsUpdate = true;
        }
        if (needsUpdate)
        {
            await UpdateStatusAsync(d, cancellationToken);
        }
    }

    /// <summary>
    /// Creates <c>&lt;deployment&gt;-&lt;hash&gt;</c> sized by the rollout rules. A name taken by an RS that is not
    /// ours (or holds another template) is a hash collision: status.collisionCount goes up, which changes the hash on
    /// the next attempt.
    /// </summary>
    private async Task<V1ReplicaSet> CreateNewReplicaSetAsync(V1Deployment d, List<V1ReplicaSet> oldRSs, long newRevision, CancellationToken cancellationToken)
    {
        var newRS = NewReplicaSet(d);
        newRS.Spec.Replicas = RollingMath.NewReplicaSetReplicas(d, ReplicaSetCounts.With(oldRSs, newRS), newRS);
        DeploymentAnnotations.SetNewReplicaSetAnnotations(d, newRS, newRevision, exists: false);
        V1ReplicaSet created;
        try
        {
            created = await client.AppsV1.CreateNamespacedReplicaSetAsync(newRS, d.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            created = await AdoptOrCountCollisionAsync(d, newRS, e, cancellationToken);
            return await RecordNewReplicaSetAsync(d, created, alreadyExisted: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ApiErrors.IsNamespaceTerminating(e) && DeploymentConditions.HasProgressDeadline(d))
        {
            d.Status ??= new V1DeploymentStatus();
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "False",
                DeploymentConditions.ReplicaSetCreateError, $"Failed to create new replica set \"{newRS.Metadata.Name}\": {e.Message}", Time.GetUtcNow()));
            await UpdateStatusAsync(d, cancellationToken);
            throw;
        }
        return await RecordNewReplicaSetAsync(d, created, alreadyExisted: false, cancellationToken);
    }

    private async Task<V1ReplicaSet> RecordNewReplicaSetAsync(V1Deployment d, V1ReplicaSet created, bool alreadyExisted, CancellationToken cancellationToken)
    {
        var replicas = RollingMath.Replicas(created);
        if (!alreadyExisted)
        {
            LogReplicaSet(Logger, ObjectKeys.For(d), "created", created.Metadata.Name);
            if (replicas > 0)
            {
                events.Event(d, EventTypes.Normal, "ScalingReplicaSet", $"Scaled up replica set {created.Metadata.Name} from 0 to {replicas}");
            }
        }
        var needsUpdate = DeploymentAnnotations.SetDeploymentRevision(d, DeploymentAnnotations.RevisionText(created));
        if (!alreadyExisted && DeploymentConditions.HasProgressDeadline(d))
        {
            d.Status ??= new V1DeploymentStatus();
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True",
                DeploymentConditions.NewReplicaSetCreated, $"Created new replica set \"{created.Metadata.Name}\"", Time.GetUtcNow()));
            needsUpdate = true;
        }
        if (needsUpdate)
        {
            await UpdateStatusAsync(d, cancellationToken);
        }
        return created;
    }

    /// <summary>The RS under our name is ours when we control it and it has our template (a create whose answer we lost); otherwise a collision.</summary>
    private async Task<V1ReplicaSet> AdoptOrCountCollisionAsync(V1Deployment d, V1ReplicaSet wanted, Exception alreadyExists, CancellationToken cancellationToken)
    {
        var rs = await client.AppsV1.ReadNamespacedReplicaSetAsync(wanted.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        if (Pods.ControllerOf(rs.Metadata)?.Uid == d.Metadata.Uid && PodTemplateHash.EqualIgnoringHash(d.Spec.Template, rs.Spec.Template))
        {
            return rs;
        }
        d.Status ??= new V1DeploymentStatus();
        d.Status.CollisionCount = (d.Status.CollisionCount ?? 0) + 1;
        await UpdateStatusAsync(d, cancellationToken);
        LogReplicaSet(Logger, ObjectKeys.For(d), "hash collision with", rs.Metadata.Name);
        throw new InvalidOperationException($"ReplicaSet {rs.Metadata.Name} already exists and is not this deployment's; collisionCount is now {d.Status.CollisionCount}", alreadyExists);
    }

    /// <summary>The RS for the deployment's current template: hash label on template and selector, controlled by the deployment, 0 replicas.</summary>
    internal static V1ReplicaSet NewReplicaSet(V1Deployment d)
    {
        var hash = PodTemplateHash.Compute(d.Spec.Template, d.Status?.CollisionCount);
        var template = Copy(d.Spec.Template);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [PodTemplateHash.Label] = hash };
        var selector = Copy(d.Spec.Selector);
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>()) { [PodTemplateHash.Label] = hash };
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = d.Metadata.Name + "-" + hash,
                NamespaceProperty = d.Metadata.NamespaceProperty,
                OwnerReferences = [OwnerReference(d)],
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                MinReadySeconds = d.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
    }

    /// <summary>Writes <paramref name="updated"/> (a changed copy of <paramref name="rs"/>) and stores the answer into <paramref name="rs"/>.</summary>
    private async Task ReplaceReplicaSetAsync(V1ReplicaSet rs, V1ReplicaSet updated, CancellationToken cancellationToken)
    {
        var stored = await client.AppsV1.ReplaceNamespacedReplicaSetAsync(updated, rs.Metadata.Name, rs.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        rs.Metadata = stored.Metadata;
        rs.Spec = stored.Spec;
        rs.Status = stored.Status;
    }

    /// <summary>Writes the deployment's status (and annotations, which the status subresource also takes) and keeps the new resourceVersion.</summary>
    private async Task UpdateStatusAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        var stored = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(d, d.Metadata.Name, d.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        d.Metadata = stored.Metadata;
        d.Status = stored.Status;
    }
}
