using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Registry.Strategies;

namespace K8sSharp.ApiServer.Tests.Strategies;

/// <summary>Runs a kind's strategy as the store does: metadata first (uid, namespace), then prepare, then validate.</summary>
internal static class StrategyHarness
{
    public const string Uid = "11111111-2222-3333-4444-555555555555";

    public static IResourceStrategy For(string group, string version, string resource) =>
        StrategyFactory.For(ApiCatalog.BuiltIn.Find(group, version, resource) ?? throw new InvalidOperationException(resource));

    /// <summary>Parses <paramref name="json"/>, prepares it for create and returns it with the validation errors.</summary>
    public static (JsonObject Obj, List<StatusCause> Errors) Create(IResourceStrategy strategy, string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        metadata["uid"] = Uid;
        metadata["namespace"] = "default";
        strategy.PrepareForCreate(obj);
        return (obj, strategy.Validate(obj).ToList());
    }

    /// <summary>Applies <paramref name="change"/> to a copy of the created <paramref name="old"/> and validates the update.</summary>
    public static (JsonObject Obj, List<StatusCause> Errors) Update(IResourceStrategy strategy, JsonObject old, Action<JsonObject> change)
    {
        var updated = old.DeepClone().AsObject();
        change(updated);
        strategy.PrepareForUpdate(updated, old);
        return (updated, strategy.ValidateUpdate(updated, old).ToList());
    }

    public static string Yamlish(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>"field: message" lines, the way kubectl shows a 422.</summary>
    public static List<string> Lines(IEnumerable<StatusCause> errors) => errors.Select(e => $"{e.Field}: {e.Message}").ToList();
}
