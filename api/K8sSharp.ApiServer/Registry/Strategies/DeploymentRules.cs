using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Registry.Validation;
using static K8sSharp.ApiServer.Registry.Validation.FieldErrors;

namespace K8sSharp.ApiServer.Registry.Strategies;

/// <summary>Upstream's <c>ValidateDeploymentSpec</c>: the common controller checks plus the rollout strategy.</summary>
internal static class DeploymentRules
{
    public static IEnumerable<StatusCause> Validate(JsonObject spec)
    {
        var causes = WorkloadValidation.NonNegative(spec, "spec", "replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds")
            .Concat(WorkloadValidation.SelectorMatchesTemplate(spec, "spec", "deployment"))
            .Concat(PodSpecValidation.ValidateTemplate(spec["template"] as JsonObject, "spec.template"))
            .Concat(WorkloadValidation.LongRunningTemplate(spec, "spec", "ReplicaSet"))
            .Concat(Strategy(spec["strategy"] as JsonObject ?? []));
        if (spec["progressDeadlineSeconds"] is JsonValue deadline && deadline.Integer() is { } seconds
            && seconds <= (spec["minReadySeconds"].Integer() ?? 0))
        {
            causes = causes.Append(Invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
        }
        return causes;
    }

    private static IEnumerable<StatusCause> Strategy(JsonObject strategy)
    {
        foreach (var cause in Enum(strategy, "type", "spec.strategy", "Recreate", "RollingUpdate"))
        {
            yield return cause;
        }
        var rolling = strategy["rollingUpdate"] as JsonObject;
        if (strategy.GetString("type") == "Recreate" && rolling is not null)
        {
            yield return Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
        }
        if (strategy.GetString("type") != "RollingUpdate" || rolling is null)
        {
            yield break;
        }
        var unavailable = IntOrPercent(rolling["maxUnavailable"]);
        var surge = IntOrPercent(rolling["maxSurge"]);
        if (unavailable == 0 && surge == 0)
        {
            yield return Invalid("spec.strategy.rollingUpdate.maxUnavailable", rolling["maxUnavailable"], "may not be 0 when `maxSurge` is 0");
        }
        if (rolling["maxUnavailable"] is JsonValue v && v.TryGetValue<string>(out var text) && unavailable > 100)
        {
            yield return Invalid("spec.strategy.rollingUpdate.maxUnavailable", JsonValue.Create(text), "must not be greater than 100%");
        }
    }

    /// <summary>The number of an int-or-percent (<c>3</c> or <c>"25%"</c>); null when unset or malformed.</summary>
    private static long? IntOrPercent(JsonNode? node) => node switch
    {
        JsonValue v when v.Integer() is { } n => n,
        JsonValue v when v.TryGetValue<string>(out var s) && s.EndsWith('%')
            && long.TryParse(s[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };
}
