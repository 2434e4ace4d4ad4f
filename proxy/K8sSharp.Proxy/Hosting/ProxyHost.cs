using K8sSharp.Proxy.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace K8sSharp.Proxy.Hosting;

/// <summary>
/// The process: <c>/metrics</c> on the metrics address and <c>/healthz</c> (and <c>/livez</c>) on the health address,
/// both plain HTTP as upstream's; the proxier and the DNS server run in <see cref="ProxyService"/>.
/// </summary>
internal static class ProxyHost
{
    public static WebApplication Build(ProxyOptions options, string[] args)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls(Url(options.MetricsBindAddress), Url(options.HealthzBindAddress));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var registry = Metrics.NewCustomRegistry();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new ProxyMetrics(registry));
        builder.Services.AddSingleton(sp => new ProxyHealth(sp.GetRequiredService<TimeProvider>(), 2 * options.SyncPeriod));
        builder.Services.AddHostedService<ProxyService>();
        var app = builder.Build();
        app.UseMetricServer(options.MetricsBindAddress.Port, "/metrics", registry);
        var health = app.Services.GetRequiredService<ProxyHealth>();
        foreach (var path in new[] { "/healthz", "/livez" })
        {
            app.MapGet(path, () =>
            {
                var (healthy, json) = health.Report();
                return Results.Text(json, "application/json", statusCode: healthy ? 200 : 503);
            }).RequireHost($"*:{options.HealthzBindAddress.Port}");
        }
        return app;
    }

    private static string Url(System.Net.IPEndPoint endpoint) => $"http://{endpoint}";
}
