using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.Api.Selection;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// The <c>scale</c> subresource (<c>kubectl scale</c>, HPAs): an autoscaling/v1 Scale view of
/// <c>spec.replicas</c>, <c>status.replicas</c> and the selector. Writes (PUT, merge or JSON patch) change only
/// <c>spec.replicas</c> of the main object; a Scale carrying a resourceVersion is a precondition on it.
/// </summary>
internal sealed class ScaleHandler(ObjectDecoder decoder, SchemaIndex schemas)
{
    private static readonly GroupVersionKind ScaleKind = new("autoscaling", "v1", "Scale");

    public async Task HandleAsync(HttpContext context, ResourceStore store, string? ns, string name, string verb, CancellationToken ct)
    {
        var output = Negotiation.For(context.Request, tableAllowed: false);
        JsonObject result = verb switch
        {
            "get" => ToScale(await store.GetAsync(ns, name, ct)),
            "update" => await WriteAsync(context, store, ns, name, _ => decoder.DecodeAsync(context, ScaleKind, ct), ct),
            "patch" => await WriteAsync(context, store, ns, name, scale => PatchAsync(context, scale, ct), ct),
            _ => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
        };
        await ResponseWriter.WriteAsync(context, 200, result, output.Format, ct);
    }

    private static async Task<JsonObject> WriteAsync(HttpContext context, ResourceStore store, string? ns, string name,
        Func<JsonObject, Task<JsonObject>> desired, CancellationToken ct)
    {
        var scale = await desired(ToScale(await store.GetAsync(ns, name, ct)));
        var replicas = scale["spec"]?["replicas"] is JsonValue value && value.TryGetValue<long>(out var r) ? r : 0;
        if (replicas < 0)
        {
            throw ApiException.Invalid("autoscaling", "Scale", name, [new StatusCause("FieldValueInvalid", $"Invalid value: {replicas}: must be greater than or equal to 0", "spec.replicas")]);
        }
        var expected = ResourceStore.ParseResourceVersion(scale.ResourceVersion());
        var updated = await store.GuaranteedUpdateAsync(ns, name, expected, context.Request.IsDryRun(), store.Strategy, obj =>
        {
            (obj["spec"] ??= new JsonObject())["replicas"] = replicas;
            return obj;
        }, ct);
        return ToScale(updated);
    }

    private async Task<JsonObject> PatchAsync(HttpContext context, JsonObject scale, CancellationToken ct)
    {
        var patch = (await BodyReader.ReadAsync(context.Request, ct)).Node;
        return PatchDocuments.Apply(MediaTypes.Essence(context.Request.ContentType), scale, patch, schemas.ForKind(ScaleKind), schemas);
    }

    /// <summary>The Scale view of a workload, as upstream's scale storage builds it.</summary>
    internal static JsonObject ToScale(JsonObject obj)
    {
        var metadata = obj.Metadata();
        var selector = obj["spec"]?["selector"] is JsonObject labelSelector ? SelectorOf(obj, labelSelector).ToString() : string.Empty;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = (long?)obj["spec"]?["replicas"] ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = (long?)obj["status"]?["replicas"] ?? 0,
                ["selector"] = selector,
            },
        };
    }

    /// <summary>
    /// A ReplicationController's selector is a plain label map (upstream labels.SelectorFromSet); every other
    /// workload's is a metav1.LabelSelector.
    /// </summary>
    private static LabelSelector SelectorOf(JsonObject obj, JsonObject selector) =>
        (string?)obj["kind"] == "ReplicationController"
            ? LabelSelector.FromJson(new JsonObject { ["matchLabels"] = selector.DeepClone() })
            : LabelSelector.FromJson(selector);
}
