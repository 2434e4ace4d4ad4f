using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>The metadata bookkeeping of the generic store: what the server sets on create and protects on update.</summary>
internal sealed partial class ResourceStore
{
    private void PrepareMetadataForCreate(JsonObject obj, string? ns)
    {
        var metadata = obj.Metadata();
        if (string.IsNullOrEmpty(metadata.GetString("name")) && metadata.GetString("generateName") is { Length: > 0 } prefix)
        {
            metadata["name"] = NameGenerator.Generate(prefix);
        }
        if (Resource.Namespaced)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = ObjectMeta.FormatTime(time.GetUtcNow());
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        metadata.SetOrRemove("generation", Strategy.TracksGeneration ? 1 : null);
    }

    /// <summary>Fields the client cannot change through an update: identity, creation and deletion bookkeeping.</summary>
    private static void PrepareMetadataForUpdate(JsonObject updated, JsonObject current, string? ns, string name)
    {
        var metadata = updated.Metadata();
        var old = current.Metadata();
        if (metadata.GetString("name") is { } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        metadata["name"] = name;
        foreach (var field in new[] { "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "generateName" })
        {
            metadata.SetOrRemove(field, old[field]?.DeepClone());
        }
        if (ns is not null && current.Namespace() is null)
        {
            metadata.Remove("namespace");
        }
        metadata.Remove("resourceVersion");
        metadata.Remove("selfLink");
    }

    private static void BumpGenerationIfSpecChanged(JsonObject updated, JsonObject current, IResourceStrategy strategy)
    {
        if (!strategy.TracksGeneration)
        {
            return;
        }
        var generation = (long?)current["metadata"]?["generation"] ?? 1;
        var changed = updated.Where(p => p.Key is not "metadata" and not "status")
            .Concat(current.Where(p => p.Key is not "metadata" and not "status" && !updated.ContainsKey(p.Key)))
            .Any(p => !JsonNode.DeepEquals(updated[p.Key], current[p.Key]));
        updated.Metadata()["generation"] = changed ? generation + 1 : generation;
    }
}
