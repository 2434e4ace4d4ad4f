using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// What one kind contributes to the generic store (upstream's <c>RESTCreateStrategy</c>/<c>RESTUpdateStrategy</c>):
/// defaulting before a write and validation returning every error with its field path. The store does everything
/// else (metadata, preconditions, conflicts, finalizers, dry-run, watch).
/// </summary>
internal interface IResourceStrategy
{
    /// <summary>Normalises a new object before validation: defaults, status reset, derived fields.</summary>
    void PrepareForCreate(JsonObject obj);

    /// <summary>Normalises an update: e.g. keeps the stored status when the main resource is written.</summary>
    void PrepareForUpdate(JsonObject updated, JsonObject old);

    IEnumerable<StatusCause> Validate(JsonObject obj);

    IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old);

    /// <summary>Whether an update that changes the given object counts as a spec change (bumps metadata.generation).</summary>
    bool TracksGeneration { get; }

    /// <summary>
    /// Whether something other than metadata.finalizers keeps a deleted object stored (a namespace's spec.finalizers):
    /// a DELETE then only marks it, and the update that clears the last of them removes it.
    /// </summary>
    bool HoldsDeletion(JsonObject obj) => false;

    /// <summary>Changes the object when its deletion starts (upstream's BeforeDelete), e.g. a namespace turns Terminating.</summary>
    void PrepareForDelete(JsonObject obj)
    {
    }
}
