using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using K8sSharp.Kubelet.Server.Stats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace K8sSharp.Kubelet.Server;

/// <summary>
/// The node-level endpoints: <c>/pods</c> (the pods bound to this node as the kubelet sees them, a v1 PodList),
/// <c>/stats/summary</c> (the Summary API), <c>/metrics/resource</c> and <c>/metrics</c>.
/// </summary>
internal sealed class NodeEndpoints(INodePods pods, StatsCollector stats)
{
    private static readonly JsonSerializerOptions SummaryJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = { new MetaTimeConverter() } };

    public static void Map(WebApplication app)
    {
        app.MapGet("/pods", (NodeEndpoints endpoints) => endpoints.PodList());
        app.MapGet("/stats/summary", (NodeEndpoints endpoints, CancellationToken ct) => endpoints.SummaryAsync(ct));
        app.MapGet("/metrics/resource", (NodeEndpoints endpoints, CancellationToken ct) => endpoints.ResourceMetricsAsync(ct));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<KubeletMetrics>().Registry);
    }

    public IResult PodList()
    {
        var list = new V1PodList
        {
            ApiVersion = "v1",
            Kind = "PodList",
            Metadata = new V1ListMeta(),
            Items = [.. pods.List()],
        };
        return Results.Text(KubernetesJson.Serialize(list), "application/json");
    }

    public async Task<IResult> SummaryAsync(CancellationToken cancellationToken) =>
        Results.Text(JsonSerializer.Serialize(await stats.CollectAsync(cancellationToken), SummaryJson), "application/json");

    public async Task<IResult> ResourceMetricsAsync(CancellationToken cancellationToken) =>
        Results.Text(ResourceMetrics.Format(await stats.CollectAsync(cancellationToken)), "text/plain; version=0.0.4");
}
