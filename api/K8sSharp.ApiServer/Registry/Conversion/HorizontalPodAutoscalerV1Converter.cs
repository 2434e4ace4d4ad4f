using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Registry.Conversion;

/// <summary>
/// autoscaling/v1 HorizontalPodAutoscaler (served) ↔ autoscaling/v2 (stored): the v1 CPU target is the v2
/// Resource metric for cpu with an Utilization target. Known gap: upstream keeps v2-only content (other
/// metrics, behavior) across v1 writes in annotations; here a v1 write replaces it.
/// </summary>
internal sealed class HorizontalPodAutoscalerV1Converter : IStorageConverter
{
    public JsonObject ToStorage(JsonObject served)
    {
        var stored = Copy(served, "autoscaling/v2");
        var spec = Common(served["spec"], "scaleTargetRef", "minReplicas", "maxReplicas");
        if ((long?)served["spec"]?["targetCPUUtilizationPercentage"] is { } target)
        {
            spec["metrics"] = new JsonArray(CpuMetric("target", new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = target }));
        }
        stored["spec"] = spec;
        var status = Common(served["status"], "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas");
        if ((long?)served["status"]?["currentCPUUtilizationPercentage"] is { } current)
        {
            status["currentMetrics"] = new JsonArray(CpuMetric("current", new JsonObject { ["averageUtilization"] = current }));
        }
        stored["status"] = status;
        return stored;
    }

    public JsonObject FromStorage(JsonObject stored)
    {
        var served = Copy(stored, "autoscaling/v1");
        var spec = Common(stored["spec"], "scaleTargetRef", "minReplicas", "maxReplicas");
        spec.SetOrRemove("targetCPUUtilizationPercentage", CpuUtilization(stored["spec"]?["metrics"], "target"));
        served["spec"] = spec;
        var status = Common(stored["status"], "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas");
        status.SetOrRemove("currentCPUUtilizationPercentage", CpuUtilization(stored["status"]?["currentMetrics"], "current"));
        served["status"] = status;
        return served;
    }

    private static JsonObject Copy(JsonObject source, string apiVersion) =>
        new() { ["apiVersion"] = apiVersion, ["kind"] = "HorizontalPodAutoscaler", ["metadata"] = source["metadata"]?.DeepClone() };

    private static JsonObject Common(JsonNode? source, params string[] fields)
    {
        var result = new JsonObject();
        foreach (var field in fields)
        {
            if (source?[field] is { } value)
            {
                result[field] = value.DeepClone();
            }
        }
        return result;
    }

    private static JsonObject CpuMetric(string part, JsonObject value) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject { ["name"] = "cpu", [part] = value },
    };

    private static JsonNode? CpuUtilization(JsonNode? metrics, string part) =>
        (metrics as JsonArray)?.OfType<JsonObject>()
            .Where(m => (string?)m["type"] == "Resource" && (string?)m["resource"]?["name"] == "cpu")
            .Select(m => m["resource"]?[part]?["averageUtilization"]?.DeepClone())
            .FirstOrDefault(v => v is not null);
}
