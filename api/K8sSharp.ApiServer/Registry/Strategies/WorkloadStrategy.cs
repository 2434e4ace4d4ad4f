using System.Text.Json.Nodes;
using K8sSharp.Api.Defaults;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Registry.Validation;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>
/// Deployments, ReplicaSets, DaemonSets, StatefulSets, ReplicationControllers and PodTemplates: upstream defaults on
/// every write (as its decoder applies them), the status each kind starts with, and the apps validation: selector
/// matching the template, long-running restart policy, per-kind enums and the immutable parts on update.
/// </summary>
internal sealed class WorkloadStrategy(ApiResource resource) : GenericStrategy(resource)
{
    private const string StatefulSetUpdateMessage =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    private static readonly string[] StatefulSetMutableFields =
        ["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    public override void PrepareForCreate(JsonObject obj)
    {
        base.PrepareForCreate(obj);
        WorkloadDefaults.Apply(Resource.Name, obj);
        if (InitialStatus() is { } status)
        {
            obj["status"] = status;
        }
        if (Resource.Name == "daemonsets")
        {
            SetTemplateGeneration(obj, TemplateGeneration(obj));
        }
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        WorkloadDefaults.Apply(Resource.Name, updated);
        if (Resource.Name == "daemonsets")
        {
            var previous = TemplateGeneration(old);
            SetTemplateGeneration(updated, JsonNode.DeepEquals(updated["spec"]?["template"], old["spec"]?["template"]) ? previous : previous + 1);
        }
    }

    /// <summary>
    /// apps/v1 DaemonSets carry the internal spec.templateGeneration as this annotation: 1 on create, +1 on every
    /// template change (upstream daemonset strategy); the controller stamps it on pods as pod-template-generation.
    /// </summary>
    private const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    private static long TemplateGeneration(JsonObject obj) =>
        long.TryParse(obj["metadata"]?["annotations"]?[TemplateGenerationAnnotation]?.ToString(), out var generation) ? Math.Max(generation, 1) : 1;

    private static void SetTemplateGeneration(JsonObject obj, long generation)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        if (metadata["annotations"] is not JsonObject annotations)
        {
            metadata["annotations"] = annotations = [];
        }
        annotations[TemplateGenerationAnnotation] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The zero status upstream's PrepareForCreate leaves, as Go serialises it (non-omitempty counters).</summary>
    private JsonObject? InitialStatus() => Resource.Name switch
    {
        "deployments" => [],
        "replicasets" or "replicationcontrollers" => new JsonObject { ["replicas"] = 0 },
        "statefulsets" => new JsonObject { ["availableReplicas"] = 0, ["replicas"] = 0 },
        "daemonsets" => new JsonObject
        {
            ["currentNumberScheduled"] = 0, ["desiredNumberScheduled"] = 0, ["numberMisscheduled"] = 0, ["numberReady"] = 0,
        },
        _ => null,
    };

    public override IEnumerable<StatusCause> Validate(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var kindRules = Resource.Name switch
        {
            "deployments" => DeploymentRules.Validate(spec),
            "replicasets" => ReplicaSet(spec),
            "daemonsets" => DaemonSet(spec),
            "statefulsets" => StatefulSet(spec),
            "replicationcontrollers" => ReplicationController(spec),
            "podtemplates" => PodSpecValidation.ValidateTemplate(obj["template"] as JsonObject, "template"),
            _ => [],
        };
        return base.Validate(obj).Concat(kindRules);
    }

    public override IEnumerable<StatusCause> ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var immutable = Resource.Name switch
        {
            "deployments" or "replicasets" or "daemonsets" => WorkloadValidation.ImmutableSelector(updated, old),
            "statefulsets" => StatefulSetUpdate(updated, old),
            _ => [],
        };
        return Validate(updated).Concat(immutable);
    }

    /// <summary>Selector, template, replicas: what every replica-managing kind checks.</summary>
    private static IEnumerable<StatusCause> Common(JsonObject spec, string emptyKind, string templateKind) =>
        WorkloadValidation.NonNegative(spec, "spec", "replicas", "minReadySeconds", "revisionHistoryLimit")
            .Concat(WorkloadValidation.SelectorMatchesTemplate(spec, "spec", emptyKind))
            .Concat(PodSpecValidation.ValidateTemplate(spec["template"] as JsonObject, "spec.template"))
            .Concat(WorkloadValidation.LongRunningTemplate(spec, "spec", templateKind));

    // Upstream's ReplicaSet validation reuses the Deployment wording for an empty selector.
    private static IEnumerable<StatusCause> ReplicaSet(JsonObject spec) => Common(spec, "deployment", "ReplicaSet");

    private static IEnumerable<StatusCause> DaemonSet(JsonObject spec) =>
        Common(spec, "daemonset", "DaemonSet")
            .Concat(spec["updateStrategy"] is JsonObject strategy ? Enum(strategy, "type", "spec.updateStrategy", "OnDelete", "RollingUpdate") : []);

    private static IEnumerable<StatusCause> StatefulSet(JsonObject spec)
    {
        var causes = Common(WithClaimVolumes(spec), "statefulset", "StatefulSet");
        if (spec.GetString("podManagementPolicy") is { } policy && policy is not "OrderedReady" and not "Parallel")
        {
            causes = causes.Append(Invalid("spec.podManagementPolicy", spec["podManagementPolicy"], "must be 'OrderedReady' or 'Parallel'"));
        }
        if (spec["updateStrategy"] is JsonObject strategy)
        {
            causes = causes.Concat(Enum(strategy, "type", "spec.updateStrategy", "OnDelete", "RollingUpdate"));
        }
        return causes;
    }

    /// <summary>
    /// The spec with a placeholder volume per volumeClaimTemplate (replacing one of the same name), as the controller
    /// will add them: containers may mount the claims, which upstream leaves unchecked (ValidatePodTemplateSpecForStatefulSet).
    /// </summary>
    private static JsonObject WithClaimVolumes(JsonObject spec)
    {
        if (spec["volumeClaimTemplates"] is not JsonArray { Count: > 0 } claims || spec["template"]?["spec"] is not JsonObject)
        {
            return spec;
        }
        var copy = spec.DeepClone().AsObject();
        var podSpec = copy["template"]!["spec"]!.AsObject();
        var names = claims.Select(c => c?["metadata"]?["name"]?.ToString()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var volumes = new JsonArray([.. (podSpec["volumes"] as JsonArray ?? []).Where(v => !names.Contains(v?["name"]?.ToString() ?? string.Empty)).Select(v => v?.DeepClone())]);
        foreach (var name in names)
        {
            volumes.Add(new JsonObject { ["name"] = name, ["emptyDir"] = new JsonObject() });
        }
        podSpec["volumes"] = volumes;
        return copy;
    }

    /// <summary>Core v1 RCs select with a plain label map that must be non-empty and match the template.</summary>
    private static IEnumerable<StatusCause> ReplicationController(JsonObject spec)
    {
        var causes = WorkloadValidation.NonNegative(spec, "spec", "replicas", "minReadySeconds");
        var selector = spec["selector"] as JsonObject;
        if (selector is not { Count: > 0 })
        {
            return causes.Append(Required("spec.selector"));
        }
        var labels = spec["template"]?["metadata"]?["labels"] as JsonObject ?? [];
        if (selector.Any(p => labels[p.Key]?.ToString() != p.Value?.ToString()))
        {
            causes = causes.Append(Invalid("spec.template.metadata.labels", GoValue(labels), "`selector` does not match template `labels`", raw: true));
        }
        return causes.Concat(PodSpecValidation.ValidateTemplate(spec["template"] as JsonObject, "spec.template"))
            .Concat(WorkloadValidation.LongRunningTemplate(spec, "spec", "ReplicationController"));
    }

    /// <summary>Only the listed StatefulSet fields may change; anything else is one Forbidden on <c>spec</c>.</summary>
    private static IEnumerable<StatusCause> StatefulSetUpdate(JsonObject updated, JsonObject old)
    {
        static JsonObject Frozen(JsonObject obj)
        {
            var spec = (obj["spec"] as JsonObject ?? []).DeepClone().AsObject();
            foreach (var field in StatefulSetMutableFields)
            {
                spec.Remove(field);
            }
            return spec;
        }
        if (!JsonNode.DeepEquals(Frozen(updated), Frozen(old)))
        {
            yield return Forbidden("spec", StatefulSetUpdateMessage);
        }
    }
}
