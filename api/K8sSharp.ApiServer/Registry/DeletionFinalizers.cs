using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// The garbage-collection finalizers a DELETE leaves on an object (upstream's
/// <c>deletionFinalizersForGarbageCollection</c>): <c>orphan</c> when the dependents are to be orphaned,
/// <c>foregroundDeletion</c> when they are to be deleted before the owner; neither for background deletion, where
/// the object goes at once and the garbage collector deletes the dependents afterwards. An explicit option
/// (orphanDependents, then propagationPolicy) wins; without one, a finalizer already on the object keeps its
/// meaning; otherwise every kind served here defaults to deleting dependents in the background.
/// </summary>
internal static class DeletionFinalizers
{
    public const string Orphan = "orphan";
    public const string Foreground = "foregroundDeletion";

    /// <summary>The object's finalizers after the request, or null when they stay as they are.</summary>
    public static JsonArray? After(JsonObject current, DeleteRequest request)
    {
        var existing = (current.Finalizers() ?? []).Select(f => (string?)f).OfType<string>().ToList();
        var orphan = ShouldOrphan(existing, request);
        var foreground = ShouldDeleteInForeground(existing, request);
        var updated = existing.Where(f => f is not Orphan and not Foreground).ToList();
        if (orphan)
        {
            updated.Add(Orphan);
        }
        if (foreground)
        {
            updated.Add(Foreground);
        }
        return updated.ToHashSet().SetEquals(existing) ? null : new JsonArray(updated.Select(f => (JsonNode)f).ToArray());
    }

    private static bool ShouldOrphan(List<string> finalizers, DeleteRequest request) =>
        request.OrphanDependents ?? request.PropagationPolicy switch
        {
            "Orphan" => true,
            "Background" or "Foreground" => false,
            _ => FirstGcFinalizer(finalizers) == Orphan,
        };

    private static bool ShouldDeleteInForeground(List<string> finalizers, DeleteRequest request) =>
        request.OrphanDependents is null && request.PropagationPolicy switch
        {
            "Foreground" => true,
            "Background" or "Orphan" => false,
            _ => FirstGcFinalizer(finalizers) == Foreground,
        };

    private static string? FirstGcFinalizer(List<string> finalizers) => finalizers.FirstOrDefault(f => f is Orphan or Foreground);
}
