using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.Revisions;

/// <summary>The owner of a revision history: its object, and the apps/v1 kind that goes into ownerReferences.</summary>
internal sealed record RevisionOwner(IKubernetesObject<V1ObjectMeta> Object, string Kind, IDictionary<string, string>? TemplateLabels)
{
    public V1ObjectMeta Metadata => Object.Metadata;

    public V1OwnerReference Reference() => new()
    {
        ApiVersion = "apps/v1",
        Kind = Kind,
        Name = Metadata.Name,
        Uid = Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}

/// <summary>A revision name taken by different content: the owner must bump status.collisionCount and retry.</summary>
internal sealed class RevisionCollisionException(string name) : Exception($"ControllerRevision {name} exists with different data (hash collision)");

/// <summary>
/// The ControllerRevision history of a DaemonSet or StatefulSet (upstream pkg/controller/history): the revisions it
/// controls, the one holding its current template (reused and renumbered to the top, or created with the next
/// number), and pruning to revisionHistoryLimit. Reads come from the lister; writes go to the API server.
/// </summary>
internal sealed class RevisionHistory(IKubernetes client, Lister<V1ControllerRevision> revisions)
{
    /// <summary>Revisions controlled by <paramref name="owner"/>, oldest revision number first (ties by name).</summary>
    public IReadOnlyList<V1ControllerRevision> Owned(RevisionOwner owner) =>
        [.. revisions.List(owner.Metadata.NamespaceProperty)
            .Where(r => r.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == owner.Metadata.Uid) == true)
            .OrderBy(r => r.Revision ?? 0).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The revision holding <paramref name="patch"/>, numbered above every other revision of the owner. An equal
    /// revision is reused (renumbered when it is not the newest, as after a rollback); otherwise one is created under
    /// <c>&lt;owner&gt;-&lt;hash&gt;</c>. Throws <see cref="RevisionCollisionException"/> when that name holds other data.
    /// </summary>
    public async Task<V1ControllerRevision> EnsureAsync(
        RevisionOwner owner, IReadOnlyList<V1ControllerRevision> owned, JsonObject patch, string hash, CancellationToken cancellationToken)
    {
        var equal = owned.Where(r => RevisionData.Holds(r, patch)).ToList();
        var newest = owned.Count == 0 ? 0 : owned.Max(r => r.Revision ?? 0);
        if (equal.Count > 0)
        {
            var match = equal[^1];
            return match.Revision == newest && owned.Count(r => r.Revision == newest) == 1
                ? match
                : await RenumberAsync(match, newest + 1, cancellationToken);
        }
        var revision = New(owner, patch, hash, newest + 1);
        try
        {
            return await client.AppsV1.CreateNamespacedControllerRevisionAsync(revision, owner.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            var existing = await client.AppsV1.ReadNamespacedControllerRevisionAsync(revision.Metadata.Name, owner.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            var ours = existing.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == owner.Metadata.Uid) == true;
            if (ours && RevisionData.Holds(existing, patch))
            {
                return existing.Revision > newest ? existing : await RenumberAsync(existing, newest + 1, cancellationToken);
            }
            throw new RevisionCollisionException(revision.Metadata.Name);
        }
    }

    /// <summary>
    /// Deletes the oldest revisions beyond <paramref name="limit"/>, never one in <paramref name="inUse"/> (the current
    /// and update revisions and whatever live pods still run), as upstream's truncateHistory/cleanupHistory.
    /// </summary>
    public async Task TruncateAsync(IReadOnlyList<V1ControllerRevision> owned, ISet<string> inUse, int limit, CancellationToken cancellationToken)
    {
        var removable = owned.Where(r => !inUse.Contains(r.Metadata.Name)).ToList();
        foreach (var revision in removable.Take(Math.Max(0, removable.Count - limit)))
        {
            try
            {
                await client.AppsV1.DeleteNamespacedControllerRevisionAsync(revision.Metadata.Name, revision.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                // already gone
            }
        }
    }

    /// <summary>A new revision: template labels plus the hash label, the owner's annotations (change-cause), owned by it.</summary>
    public static V1ControllerRevision New(RevisionOwner owner, JsonObject patch, string hash, long number)
    {
        var labels = new Dictionary<string, string>(owner.TemplateLabels ?? new Dictionary<string, string>()) { [RevisionData.HashLabel] = hash };
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = RevisionData.Name(owner.Metadata.Name, hash),
                NamespaceProperty = owner.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = owner.Metadata.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null,
                OwnerReferences = [owner.Reference()],
            },
            Data = patch,
            Revision = number,
        };
    }

    private async Task<V1ControllerRevision> RenumberAsync(V1ControllerRevision revision, long number, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["revision"] = number };
        return await client.AppsV1.PatchNamespacedControllerRevisionAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), revision.Metadata.Name, revision.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken);
    }
}
