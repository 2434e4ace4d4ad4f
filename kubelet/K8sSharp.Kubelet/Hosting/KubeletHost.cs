using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Hosting;

/// <summary>
/// The process: <c>/healthz</c> on http://127.0.0.1:port (plain HTTP until the kubelet's HTTPS server with
/// logs/exec/port-forward takes this port) and <see cref="KubeletService"/> in the background.
/// </summary>
internal static class KubeletHost
{
    public static WebApplication Build(KubeletOptions options, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<KubeletService>();
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
