using K8sSharp.Kubelet.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Hosting;

/// <summary>
/// The process: the kubelet's server (<see cref="KubeletServer"/>: HTTPS on the port, /healthz on the healthz port)
/// and <see cref="KubeletService"/> in the background.
/// </summary>
internal static class KubeletHost
{
    public static WebApplication Build(KubeletOptions options, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<KubeletService>();
        KubeletServerSetup.Configure(builder, options);
        var app = builder.Build();
        KubeletServer.MapServer(app);
        return app;
    }
}
