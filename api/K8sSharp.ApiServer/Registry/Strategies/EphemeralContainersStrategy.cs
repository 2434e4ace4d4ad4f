using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Writes through <c>pods/ephemeralcontainers</c> (<c>kubectl debug</c>): only <c>spec.ephemeralContainers</c> changes,
/// ephemeral containers can be added but never changed or removed, and their names must be unique in the pod.
/// </summary>
internal sealed class EphemeralContainersStrategy(IResourceStrategy pods) : IResourceStrategy
{
    public bool TracksGeneration => false;

    public void PrepareForCreate(JsonObject obj) => pods.PrepareForCreate(obj);

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var ephemeral = updated["spec"]?["ephemeralContainers"]?.DeepClone();
        var metadata = updated.Metadata().DeepClone();
        updated.Clear();
        foreach (var (key, value) in old)
        {
            updated[key] = value?.DeepClone();
        }
        updated["metadata"] = metadata;
        ((JsonObject)updated["spec"]!).SetOrRemove("ephemeralContainers", ephemeral);
    }

    public IEnumerable<StatusCause> Validate(JsonObject obj) => pods.Validate(obj);

    public IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var before = Containers(old, "ephemeralContainers").ToDictionary(c => (string?)c["name"] ?? string.Empty);
        var after = Containers(updated, "ephemeralContainers").ToList();
        foreach (var (name, container) in before)
        {
            if (!after.Any(c => (string?)c["name"] == name && JsonNode.DeepEquals(c, container)))
            {
                yield return new StatusCause("FieldValueForbidden", "Forbidden: existing ephemeral containers \"" + name + "\" may not be changed", "spec.ephemeralContainers");
            }
        }
        var taken = Containers(updated, "containers").Concat(Containers(updated, "initContainers")).Select(c => (string?)c["name"]).ToHashSet();
        for (var i = 0; i < after.Count; i++)
        {
            var name = (string?)after[i]["name"];
            if (string.IsNullOrEmpty(name))
            {
                yield return new StatusCause("FieldValueRequired", "Required value", $"spec.ephemeralContainers[{i}].name");
            }
            else if (!taken.Add(name))
            {
                yield return new StatusCause("FieldValueDuplicate", $"Duplicate value: \"{name}\"", $"spec.ephemeralContainers[{i}].name");
            }
        }
    }

    private static IEnumerable<JsonObject> Containers(JsonObject pod, string field) =>
        (pod["spec"]?[field] as JsonArray ?? []).OfType<JsonObject>();
}
