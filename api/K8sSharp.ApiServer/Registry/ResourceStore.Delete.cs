using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Registry;

internal sealed partial class ResourceStore
{
    /// <summary>
    /// Deletes an object, upstream style: preconditions first; the propagation policy may add the garbage
    /// collector's <c>orphan</c> or <c>foregroundDeletion</c> finalizer (<see cref="DeletionFinalizers"/>); an object
    /// with finalizers (or one its strategy holds, as a namespace with spec.finalizers) only gets its deletionTimestamp
    /// and is removed by the update that drops the last finalizer; pods bound to a node are deleted gracefully, with a
    /// deletionTimestamp the kubelet acts on; everything else is removed at once.
    /// </summary>
    /// <returns>The object as last stored, and whether it is gone.</returns>
    public async Task<(JsonObject Object, bool Deleted)> DeleteAsync(string? ns, string name, DeleteRequest request, CancellationToken ct)
    {
        var key = keys.Key(ns, name);
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var stored = await storage.GetAsync(key, ct) ?? throw NotFound(name);
            var current = Decode(stored.Value, stored.ModRevision);
            CheckPreconditions(current, request, name);
            var graceSeconds = GracePeriodFor(current, request);
            var finalizers = DeletionFinalizers.After(current, request);
            if (finalizers is { Count: > 0 } || current.HasFinalizers() || Strategy.HoldsDeletion(current) || graceSeconds > 0)
            {
                var pending = await MarkDeletingAsync(key, current, stored, new DeletionMark(graceSeconds, finalizers), request.DryRun, ct);
                if (pending is not null && (request.DryRun || pending.HasFinalizers() || Strategy.HoldsDeletion(pending) || graceSeconds > 0))
                {
                    return (pending, false);
                }
                continue; // lost a race, or the request removed the last finalizer: decide again on the stored state
            }
            if (request.DryRun)
            {
                return (current, true);
            }
            try
            {
                var deleted = await storage.DeleteAsync(key, stored.ModRevision, ct);
                var last = Decode(deleted.Value, deleted.ModRevision);
                await (Hooks?.AfterDeleteAsync(last, ct) ?? Task.CompletedTask);
                return (last, true);
            }
            catch (StorageException e) when (e.Kind is StorageErrorKind.Conflict or StorageErrorKind.NotFound)
            {
                // Changed or removed under us: re-read and decide again.
            }
        }
        throw ApiException.StaleObject(Resource.Group, Resource.Name, name);
    }

    private void CheckPreconditions(JsonObject current, DeleteRequest request, string name)
    {
        if (request.PreconditionUid is { } uid && uid != current.Uid())
        {
            throw ApiException.Conflict(Resource.Group, Resource.Name, name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid()}");
        }
        if (request.PreconditionResourceVersion is { } rv && rv != current.ResourceVersion())
        {
            throw ApiException.Conflict(Resource.Group, Resource.Name, name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.ResourceVersion()}");
        }
    }

    /// <summary>Only pods already bound to a node wait for their kubelet; upstream deletes unbound pods at once.</summary>
    private long GracePeriodFor(JsonObject current, DeleteRequest request)
    {
        if (Resource is not { Group: "", Name: "pods" } || string.IsNullOrEmpty((string?)current["spec"]?["nodeName"]))
        {
            return 0;
        }
        if (current.IsBeingDeleted())
        {
            return Math.Min(request.GracePeriodSeconds ?? long.MaxValue, (long?)current["metadata"]?["deletionGracePeriodSeconds"] ?? 0);
        }
        return request.GracePeriodSeconds ?? (long?)current["spec"]?["terminationGracePeriodSeconds"] ?? 30;
    }

    /// <summary>What a pending deletion writes: the grace period and, when they change, the finalizers.</summary>
    private sealed record DeletionMark(long GraceSeconds, JsonArray? Finalizers);

    /// <returns>The updated object, or null when a concurrent write won (the caller retries).</returns>
    private async Task<JsonObject?> MarkDeletingAsync(string key, JsonObject current, StoredValue stored, DeletionMark mark, bool dryRun, CancellationToken ct)
    {
        var metadata = current.Metadata();
        var deadline = time.GetUtcNow().AddSeconds(mark.GraceSeconds);
        var changed = mark.Finalizers is not null;
        if (mark.Finalizers is not null)
        {
            metadata.SetOrRemove("finalizers", mark.Finalizers.Count > 0 ? mark.Finalizers : null);
        }
        if (metadata["deletionTimestamp"] is null || mark.GraceSeconds < ((long?)metadata["deletionGracePeriodSeconds"] ?? 0))
        {
            metadata["deletionTimestamp"] = ObjectMeta.FormatTime(deadline);
            metadata["deletionGracePeriodSeconds"] = mark.GraceSeconds;
            Strategy.PrepareForDelete(current);
            changed = true;
        }
        if (!changed)
        {
            return current;
        }
        if (dryRun)
        {
            return current;
        }
        try
        {
            metadata.Remove("resourceVersion");
            var written = await storage.UpdateAsync(key, Encode(current), stored.ModRevision, ct);
            return WithResourceVersion(current, written.ModRevision);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.Conflict or StorageErrorKind.NotFound)
        {
            return null;
        }
    }
}
