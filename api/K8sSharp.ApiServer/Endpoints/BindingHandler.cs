using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// Binding a pod to a node (<c>pods/binding</c> and the <c>bindings</c> collection), what the scheduler does:
/// sets <c>spec.nodeName</c> once and the PodScheduled condition; a pod already bound is a 409.
/// </summary>
internal sealed class BindingHandler(ObjectDecoder decoder, StoreRegistry registry, TimeProvider time)
{
    private static readonly GroupVersionKind BindingKind = new("", "v1", "Binding");

    public async Task HandleAsync(HttpContext context, string ns, string? podName, CancellationToken ct)
    {
        var binding = await decoder.DecodeAsync(context, BindingKind, ct);
        var name = podName ?? binding.Name() ?? throw ApiException.BadRequest("a Binding needs metadata.name");
        var node = (string?)binding["target"]?["name"];
        if (string.IsNullOrEmpty(node) || (string?)binding["target"]?["kind"] is { Length: > 0 } and not "Node")
        {
            throw ApiException.Invalid("", "Binding", name, [new StatusCause("FieldValueRequired", "Required value: a node name is required", "target.name")]);
        }
        var pods = registry.For(registry.Catalog.Find("", "v1", "pods")!);
        await pods.GuaranteedUpdateAsync(ns, name, 0, context.Request.IsDryRun(), SystemWriteStrategy.Instance, pod => Bind(pod, name, node), ct, systemWrite: true);
        var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
        await ResponseWriter.WriteAsync(context, 201, status, OutputFormat.Json, ct);
    }

    private JsonObject Bind(JsonObject pod, string name, string node)
    {
        if (pod["spec"]?["nodeName"] is JsonValue bound && (string?)bound is { Length: > 0 } current)
        {
            throw ApiException.Conflict("", "pods", name, $"pod {name} is already assigned to node \"{current}\"");
        }
        if (pod.IsBeingDeleted())
        {
            throw ApiException.Conflict("", "pods", name, $"pod {name} is being deleted, cannot be assigned to a host");
        }
        pod["spec"]!["nodeName"] = node;
        var status = pod["status"] as JsonObject ?? new JsonObject();
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        status["conditions"] = conditions;
        foreach (var existing in conditions.OfType<JsonObject>().Where(c => (string?)c["type"] == "PodScheduled").ToList())
        {
            conditions.Remove(existing);
        }
        conditions.Add(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "True",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = ObjectMeta.FormatTime(time.GetUtcNow()),
        });
        return pod;
    }
}
