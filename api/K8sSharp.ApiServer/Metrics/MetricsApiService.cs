using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Metrics;

/// <summary>
/// The <c>v1beta1.metrics.k8s.io</c> APIService that tools (dashboards, <c>kubectl get apiservices</c>, install
/// checks) look for. Upstream it points at metrics-server's Service; the group is served by this server, so it is a
/// local APIService (no <c>service</c>), Available with reason <c>Local</c> as kube-aggregator reports local ones.
/// Priorities as metrics-server's manifest.
/// </summary>
internal static class MetricsApiService
{
    public const string Name = MetricsApi.Version + "." + MetricsApi.Group;

    public static async Task EnsureAsync(StoreRegistry registry, TimeProvider time, CancellationToken ct)
    {
        await SystemObjects.CreateIfMissingAsync(registry, "apiregistration.k8s.io", "apiservices", null, new JsonObject
        {
            ["apiVersion"] = "apiregistration.k8s.io/v1",
            ["kind"] = "APIService",
            ["metadata"] = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["kube-aggregator.kubernetes.io/automanaged"] = "onstart" } },
            ["spec"] = new JsonObject
            {
                ["group"] = MetricsApi.Group,
                ["version"] = MetricsApi.Version,
                ["groupPriorityMinimum"] = 100,
                ["versionPriority"] = 100,
            },
        }, ct);
        // Status is not taken from a create; written directly, once (the condition's time stays that of the first start).
        await SystemObjects.StoreOf(registry, "apiregistration.k8s.io", "apiservices").GuaranteedUpdateAsync(null, Name, 0, false, SystemWriteStrategy.Instance,
            current => current["status"]?["conditions"] is JsonArray { Count: > 0 } ? current : WithAvailable(current, time.GetUtcNow()), ct, systemWrite: true);
    }

    private static JsonObject WithAvailable(JsonObject apiService, DateTimeOffset now)
    {
        apiService["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = "True",
                ["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["reason"] = "Local",
                ["message"] = "Local APIServices are always available",
            }),
        };
        return apiService;
    }
}
