using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.CommandLine;
using K8sSharp.Client.Dynamic;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// <see cref="IResourceMetricsClient"/> over <c>GET /apis/metrics.k8s.io/v1beta1/namespaces/&lt;ns&gt;/pods?labelSelector=</c>
/// (a PodMetricsList as metrics-server serves it), summed per pod as upstream's resource metrics client does: a pod
/// with no containers, or with a container lacking the resource, counts as missing.
/// </summary>
internal sealed class ResourceMetricsApiClient(IKubernetes client) : IResourceMetricsClient
{
    public async Task<ResourceMetrics> GetResourceMetricAsync(string resource, string ns, string selector, CancellationToken cancellationToken)
    {
        JsonNode? list;
        try
        {
            var path = $"apis/metrics.k8s.io/v1beta1/namespaces/{Uri.EscapeDataString(ns)}/pods?labelSelector={Uri.EscapeDataString(selector)}";
            using var response = await ApiRequests.SendAsync(ApiRequests.RequireHttpClient(client), HttpMethod.Get, path, null, ApiRequests.Json,
                HttpCompletionOption.ResponseContentRead, cancellationToken);
            list = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new MetricsUnavailableException($"unable to fetch metrics from resource metrics API: {ApiErrors.Message(e)}", e);
        }
        var items = (list?["items"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (items.Count == 0)
        {
            throw new MetricsUnavailableException("no metrics returned from resource metrics API");
        }
        var pods = new Dictionary<string, PodMetric>();
        foreach (var item in items)
        {
            if (PodSum(item, resource) is { } metric)
            {
                pods[(string?)item["metadata"]?["name"] ?? string.Empty] = metric;
            }
        }
        return new ResourceMetrics(pods, Timestamp(items[0]));
    }

    private static PodMetric? PodSum(JsonObject item, string resource)
    {
        var containers = (item["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (containers.Count == 0)
        {
            return null;
        }
        long sum = 0;
        foreach (var container in containers)
        {
            if ((string?)container["usage"]?[resource] is not { } quantity)
            {
                return null;
            }
            sum += Quantities.MilliValue(new ResourceQuantity(quantity));
        }
        var window = (string?)item["window"] is { } w ? GoDuration.Parse(w) : TimeSpan.Zero;
        return new PodMetric(sum, Timestamp(item), window);
    }

    private static DateTimeOffset Timestamp(JsonObject item) =>
        (string?)item["timestamp"] is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : DateTimeOffset.MinValue;
}
