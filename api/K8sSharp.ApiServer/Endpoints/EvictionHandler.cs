using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.Api.Schema;
using K8sSharp.Api.Selection;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Serialization;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>
/// <c>pods/eviction</c> (<c>kubectl drain</c>), as upstream's eviction REST: a pod that is not running is deleted at
/// once; otherwise its PodDisruptionBudget must allow a disruption, which the eviction uses up (status
/// <c>disruptionsAllowed</c> - 1 and the pod in <c>disruptedPods</c>) before the pod is deleted. A budget the
/// disruption controller has not processed, or with no disruption left, answers 429 so that clients retry.
/// </summary>
internal sealed class EvictionHandler(ObjectDecoder decoder, StoreRegistry registry, TimeProvider time)
{
    private static readonly GroupVersionKind EvictionKind = new("policy", "v1", "Eviction");

    public async Task HandleAsync(HttpContext context, ResourceStore pods, string ns, string name, CancellationToken ct)
    {
        var eviction = await decoder.DecodeAsync(context, EvictionKind, ct);
        if (eviction.Name() is { Length: > 0 } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"name in URL does not match name in Eviction object");
        }
        var pod = await pods.GetAsync(ns, name, ct);
        var phase = (string?)pod["status"]?["phase"];
        if (phase is not ("Succeeded" or "Failed" or "Pending") && !pod.IsBeingDeleted())
        {
            await UseDisruptionAsync(ns, pod, context.Request.IsDryRun(), ct);
        }
        var options = eviction["deleteOptions"] as JsonObject;
        var request = new DeleteRequest(context.Request.IsDryRun(), (long?)options?["gracePeriodSeconds"],
            (string?)options?["preconditions"]?["uid"], (string?)options?["preconditions"]?["resourceVersion"]);
        await pods.DeleteAsync(ns, name, request, ct);
        var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
        await ResponseWriter.WriteAsync(context, 201, status, OutputFormat.Json, ct);
    }

    private async Task UseDisruptionAsync(string ns, JsonObject pod, bool dryRun, CancellationToken ct)
    {
        var budgets = registry.For(registry.Catalog.Find("policy", "v1", "poddisruptionbudgets")!);
        var labels = pod["metadata"]?["labels"] as JsonObject;
        var matching = (await budgets.ListAsync(ns, new ListRequest(), ct)).Items
            .Where(b => b["spec"]?["selector"] is JsonObject selector && LabelSelector.FromJson(selector).Matches(labels))
            .ToList();
        if (matching.Count > 1)
        {
            throw ApiException.InternalError("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        if (matching.Count == 1)
        {
            var budgetName = matching[0].Name()!;
            await budgets.GuaranteedUpdateAsync(ns, budgetName, 0, dryRun, SystemWriteStrategy.Instance, b => Decrement(b, pod.Name()!), ct, systemWrite: true);
        }
    }

    private JsonObject Decrement(JsonObject budget, string podName)
    {
        var status = budget["status"] as JsonObject ?? [];
        var generation = (long?)budget["metadata"]?["generation"] ?? 0;
        if (((long?)status["observedGeneration"] ?? 0) < generation)
        {
            throw TooManyRequests($"The disruption budget {budget.Name()} is still being processed by the server.");
        }
        var allowed = (long?)status["disruptionsAllowed"] ?? 0;
        if (allowed <= 0)
        {
            throw TooManyRequests($"The disruption budget {budget.Name()} needs {(long?)status["desiredHealthy"] ?? 0} healthy pods and has {(long?)status["currentHealthy"] ?? 0} currently");
        }
        status["disruptionsAllowed"] = allowed - 1;
        var disrupted = status["disruptedPods"] as JsonObject ?? [];
        disrupted[podName] = ObjectMeta.FormatTime(time.GetUtcNow());
        status["disruptedPods"] = disrupted;
        budget["status"] = status;
        return budget;
    }

    private static ApiException TooManyRequests(string cause)
    {
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }),
            ["retryAfterSeconds"] = 10,
        };
        return new ApiException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", details)
        {
            RetryAfterSeconds = 10,
        };
    }
}
