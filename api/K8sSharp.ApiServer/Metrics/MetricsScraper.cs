using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;
using K8sSharp.ApiServer.Endpoints.Proxy;
using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Metrics;

/// <summary>Reads one node's resource metrics; the kubelet over HTTPS in the server, a fake in tests.</summary>
internal interface IResourceMetricsSource
{
    Task<NodeScrape> ScrapeAsync(JsonObject node, CancellationToken ct);
}

/// <summary>
/// GET <c>/metrics/resource</c> from the node's kubelet with the API server's kubelet-client certificate (the
/// connection <c>kubectl logs</c> uses), as metrics-server scrapes it.
/// </summary>
internal sealed class KubeletResourceMetrics(BackendTransport transport, TimeProvider time) : IResourceMetricsSource
{
    public async Task<NodeScrape> ScrapeAsync(JsonObject node, CancellationToken ct)
    {
        var text = await transport.Http.GetStringAsync(new Uri(KubeletAddress.BaseOf(node), "/metrics/resource"), ct);
        return ResourceMetricsText.Parse(text, time.GetUtcNow());
    }
}

/// <summary>
/// Every resolution period, scrapes every Ready node concurrently (metrics-server skips unready nodes) into the
/// <see cref="MetricsStore"/>; a node that does not answer within the period loses its points, so stale usage is
/// never served. Nothing is scraped on demand: requests read the store only.
/// </summary>
internal sealed partial class MetricsScraper(StoreRegistry registry, IResourceMetricsSource source, MetricsStore store, TimeProvider time,
    TimeSpan resolution, ILogger<MetricsScraper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(resolution, time);
        do
        {
            try
            {
                await ScrapeAllAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogScrapeCycleFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ScrapeAllAsync(CancellationToken ct)
    {
        var nodes = (await registry.For(registry.Catalog.Find("", "v1", "nodes")!).ListAsync(null, new ListRequest(), ct)).Items;
        store.Retain(nodes.Select(n => n.Name()!).ToHashSet(StringComparer.Ordinal));
        await Task.WhenAll(nodes.Select(node => IsReady(node) ? ScrapeAsync(node, ct) : ForgetAsync(node)));
    }

    private Task ForgetAsync(JsonObject node)
    {
        store.Forget(node.Name()!);
        return Task.CompletedTask;
    }

    private async Task ScrapeAsync(JsonObject node, CancellationToken ct)
    {
        using var period = CancellationTokenSource.CreateLinkedTokenSource(ct);
        period.CancelAfter(resolution);
        try
        {
            store.Record(node.Name()!, await source.ScrapeAsync(node, period.Token));
        }
        catch (Exception e) when (e is HttpRequestException or ApiException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            store.Forget(node.Name()!);
            LogScrapeFailed(logger, node.Name()!, e.Message);
        }
    }

    private static bool IsReady(JsonObject node) =>
        node["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");

    [LoggerMessage(Level = LogLevel.Information, Message = "Failed to scrape resource metrics of node {Node}: {Error}")]
    private static partial void LogScrapeFailed(ILogger logger, string node, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resource metrics scrape cycle failed")]
    private static partial void LogScrapeCycleFailed(ILogger logger, Exception exception);
}
