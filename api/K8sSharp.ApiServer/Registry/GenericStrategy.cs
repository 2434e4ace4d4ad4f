using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry;

/// <summary>
/// The strategy every kind gets unless it has its own: status is owned by the status subresource, metadata is
/// validated as upstream's <c>ValidateObjectMeta</c> does. Kinds derive from it to add their own rules.
/// </summary>
internal class GenericStrategy(ApiResource resource) : IResourceStrategy
{
    protected ApiResource Resource { get; } = resource;

    private bool HasStatusSubresource => Resource.HasSubresource("status");

    /// <summary>Kinds with a <c>spec</c> carry <c>metadata.generation</c>, bumped on every spec change.</summary>
    public bool TracksGeneration { get; } =
        SchemaIndex.BuiltIn.ForKind(resource.Gvk) is { } schema && schema["properties"]?["spec"] is not null;

    public virtual void PrepareForCreate(JsonObject obj)
    {
        if (HasStatusSubresource)
        {
            obj.Remove("status");
        }
    }

    public virtual void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        if (HasStatusSubresource)
        {
            updated.SetOrRemove("status", old["status"]?.DeepClone());
        }
    }

    public virtual IEnumerable<StatusCause> Validate(JsonObject obj) => MetadataValidation.Validate(obj, NameRule);

    public virtual IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old) => Validate(updated);

    public virtual bool HoldsDeletion(JsonObject obj) => false;

    public virtual void PrepareForDelete(JsonObject obj)
    {
    }

    /// <summary>How names of this kind are checked; most kinds use DNS-1123 subdomains.</summary>
    protected virtual Func<string, string?> NameRule => Names.Subdomain;
}

/// <summary>Writes through the <c>status</c> subresource: only status changes, everything else stays as stored.</summary>
internal sealed class StatusStrategy(IResourceStrategy main) : IResourceStrategy
{
    public bool TracksGeneration => false;

    public void PrepareForCreate(JsonObject obj) => main.PrepareForCreate(obj);

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var status = updated["status"]?.DeepClone();
        var metadata = updated.Metadata();
        foreach (var (key, value) in old)
        {
            if (key is not "status" and not "metadata")
            {
                updated[key] = value?.DeepClone();
            }
        }
        foreach (var key in updated.Select(p => p.Key).Where(k => k is not "status" and not "metadata" && !old.ContainsKey(k)).ToList())
        {
            updated.Remove(key);
        }
        updated.SetOrRemove("status", status);
        updated["metadata"] = metadata;
    }

    public IEnumerable<StatusCause> Validate(JsonObject obj) => main.Validate(obj);

    public IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old) => main.ValidateUpdate(updated, old);
}
