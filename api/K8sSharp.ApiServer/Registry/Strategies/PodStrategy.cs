using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Validation;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Pods (upstream's <c>pkg/registry/core/pod/strategy.go</c> plus the defaulting admission plugins): versioned
/// defaults on every write, service account, priority and default tolerations on create, status Pending with the
/// QoS class; on update the spec is immutable apart from images, deadlines, tolerations and grace period.
/// </summary>
internal sealed class PodStrategy(ApiResource resource) : GenericStrategy(resource)
{
    public const string UpdateForbiddenMessage =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        PodDefaults.ApplyPod(obj);
        PodAdmissionDefaults.Apply(obj);
        obj["status"] = PodAdmissionDefaults.InitialStatus(obj["spec"]!.AsObject());
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        PodDefaults.ApplyPod(updated);
    }

    public override IEnumerable<StatusCause> Validate(JsonObject obj) =>
        base.Validate(obj).Concat(PodSpecValidation.ValidateSpec(obj["spec"] as JsonObject ?? [], "spec"));

    public override IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        foreach (var cause in Validate(updated))
        {
            yield return cause;
        }
        if (!JsonNode.DeepEquals(MutableFieldsCleared(updated, old), MutableFieldsCleared(old, old)))
        {
            yield return FieldErrors.Forbidden("spec", UpdateForbiddenMessage);
        }
    }

    /// <summary>
    /// A copy of <paramref name="pod"/>'s spec with what an update may change reset to the old values, so that any
    /// remaining difference is forbidden (upstream's <c>ValidatePodUpdate</c> does the same with a mungedPodSpec).
    /// </summary>
    private static JsonObject MutableFieldsCleared(JsonObject pod, JsonObject old)
    {
        var spec = (pod["spec"] as JsonObject ?? []).DeepClone().AsObject();
        var oldSpec = old["spec"] as JsonObject ?? [];
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                container.Remove("image");
            }
        }
        foreach (var field in new[] { "activeDeadlineSeconds", "tolerations", "schedulingGates", "ephemeralContainers" })
        {
            spec.SetOrRemove(field, oldSpec[field]?.DeepClone());
        }
        if (oldSpec["terminationGracePeriodSeconds"] is JsonValue g && g.Integer() is < 0
            && spec["terminationGracePeriodSeconds"]?.ToJsonString() == "1")
        {
            spec["terminationGracePeriodSeconds"] = g.DeepClone();
        }
        return spec;
    }
}
