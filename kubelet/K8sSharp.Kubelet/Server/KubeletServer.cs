using K8sSharp.Kubelet.Server.Auth;
using K8sSharp.Kubelet.Server.Logs;
using K8sSharp.Kubelet.Server.Stats;
using K8sSharp.Kubelet.Server.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace K8sSharp.Kubelet.Server;

/// <summary>
/// The kubelet's HTTPS server (upstream's pkg/kubelet/server): <c>/containerLogs</c>, <c>/exec</c>, <c>/attach</c>,
/// <c>/portForward</c> (what the API server proxies pods/log|exec|attach|portforward to), <c>/pods</c>,
/// <c>/stats/summary</c>, <c>/metrics</c>, <c>/metrics/resource</c> and <c>/healthz</c>. The host registers
/// <see cref="INodePods"/>, the container runtime, docker's client, <c>PodPaths</c> and a TimeProvider.
/// </summary>
internal static class KubeletServer
{
    public static void AddServer(WebApplicationBuilder builder, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.BindAddress, settings.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = settings.ServingCertificate,
                    // Asked for, checked per request: an untrusted caller gets a 401 Status rather than a TLS failure.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
            kestrel.Listen(System.Net.IPAddress.Loopback, settings.HealthzPort);
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(settings.Authenticator);
        builder.Services.AddSingleton(settings.Auth);
        builder.Services.AddSingleton<StatsCollector>();
        builder.Services.AddSingleton<KubeletMetrics>();
        builder.Services.AddSingleton<PodLookup>();
        builder.Services.AddSingleton<DockerRemoteCommands>();
        builder.Services.AddSingleton<ExecHandler>();
        builder.Services.AddSingleton<PortForwardHandler>();
        builder.Services.AddSingleton<ContainerLogsHandler>();
        builder.Services.AddSingleton<NodeEndpoints>();
    }

    public static void MapServer(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(RequestAuth.AuthenticateAndAuthorizeAsync);
        app.UseWebSockets();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/containerLogs/{ns}/{pod}/{container}", (HttpContext context, string ns, string pod, string container, ContainerLogsHandler logs) =>
            logs.ServeAsync(context, ns, pod, container));
        string[] streamMethods = ["GET", "POST"];
        app.MapMethods("/exec/{ns}/{pod}/{container}", streamMethods, (HttpContext context, string ns, string pod, string container, ExecHandler exec) =>
            exec.ExecAsync(context, ns, pod, container));
        app.MapMethods("/attach/{ns}/{pod}/{container}", streamMethods, (HttpContext context, string ns, string pod, string container, ExecHandler exec) =>
            exec.AttachAsync(context, ns, pod, container));
        app.MapMethods("/portForward/{ns}/{pod}", streamMethods, (HttpContext context, string ns, string pod, PortForwardHandler forward) =>
            forward.ServeAsync(context, ns, pod));
        NodeEndpoints.Map(app);
    }
}
