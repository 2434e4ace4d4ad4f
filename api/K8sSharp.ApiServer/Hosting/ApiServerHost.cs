using System.Security.Authentication;
using K8sSharp.Api.Schema;
using K8sSharp.ApiServer.Endpoints;
using K8sSharp.ApiServer.Registry;
using K8sSharp.ApiServer.Registry.Allocation;
using K8sSharp.ApiServer.Security;
using K8sSharp.ApiServer.Storage;
using K8sSharp.ApiServer.Watching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace K8sSharp.ApiServer.Hosting;

/// <summary>
/// Assembles k8ssharp-apiserver: storage (etcd or memory) behind the watch cache, the registry, the request
/// pipeline (errors → authentication → routes) and HTTPS with client certificates from the cluster CA.
/// </summary>
internal static class ApiServerHost
{
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var pki = ClusterPki.LoadOrCreate(options.DataDirectory, options.AdvertiseAddress);
        Kubeconfig.WriteAdmin(Path.Combine(options.DataDirectory, "kubeconfig"), pki, options.SecurePort);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        // Per-request framework logs would cost more than serving most requests; errors are still logged.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options, pki));
        AddServices(builder.Services, options, pki);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Resolved now so that the watch cache starts priming while Kestrel starts.
        _ = app.Services.GetRequiredService<CachedStorage>();
        var gate = app.Services.GetRequiredService<StartupGate>();
        app.UseMiddleware<StatusErrors>();
        app.Use(gate.HoldUntilOpenAsync);
        app.UseMiddleware<Authentication>();
        app.UseMiddleware<Security.Authorization.Authorization>();
        IssuerDiscovery.Map(app, app.Services.GetRequiredService<ServiceAccountKeys>());
        SystemEndpoints.Map(app, app.Services.GetRequiredService<DiscoveryDocuments>(), () => gate.IsOpen);
        var router = app.Services.GetRequiredService<ApiRouter>();
        app.Map("/api/{**rest}", router.RouteAsync);
        app.Map("/apis/{**rest}", router.RouteAsync);
        app.Map("/api", router.RouteAsync);
        app.MapFallback(context => throw ResourceHandler.NotFoundPath());
        return app;
    }

    /// <summary>
    /// Waits for the watch cache, then creates the system objects, which point at the given address and port, and
    /// the bootstrap RBAC policy; then opens the <see cref="StartupGate"/>. May run while the server already serves.
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, string advertiseAddress, int securePort, CancellationToken ct)
    {
        var gate = app.Services.GetRequiredService<StartupGate>();
        try
        {
            await app.Services.GetRequiredService<CachedStorage>().WaitReadyAsync(ct);
            var registry = app.Services.GetRequiredService<StoreRegistry>();
            await SystemObjects.EnsureAsync(registry, advertiseAddress, securePort, ct);
            await Security.Authorization.BootstrapPolicy.EnsureAsync(registry, ct);
            await Metrics.MetricsApiService.EnsureAsync(registry, app.Services.GetRequiredService<TimeProvider>(), ct);
            gate.Open();
        }
        catch (Exception e)
        {
            gate.Fail(e);
            throw;
        }
    }

    private static void AddServices(IServiceCollection services, ServerOptions options, ClusterPki pki)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StartupGate>();
        services.AddSingleton(pki);
        services.AddSingleton(_ => ServiceAccountKeys.LoadOrCreate(pki.Directory));
        services.AddSingleton<ServiceAccountTokens>();
        services.AddSingleton<TokenRequestHandler>();
        services.AddSingleton(ApiCatalog.BuiltIn);
        services.AddSingleton(SchemaIndex.BuiltIn);
        services.AddSingleton<IStorage>(_ => options.Storage == "memory" ? new MemoryStorage() : new EtcdStorage(options.EtcdServers));
        services.AddSingleton(sp => new CachedStorage(sp.GetRequiredService<IStorage>()));
        services.AddSingleton(sp => new StoreRegistry(sp.GetRequiredService<ApiCatalog>(), sp.GetRequiredService<CachedStorage>(), sp.GetRequiredService<TimeProvider>(),
            () => sp.GetRequiredService<Security.Authorization.RbacAuthorizer>()));
        services.AddSingleton<NamespaceDeletion>();
        services.AddSingleton<Endpoints.Proxy.BackendTransport>();
        services.AddSingleton<Endpoints.Proxy.ConnectHandler>();
        services.AddSingleton<ObjectDecoder>();
        services.AddSingleton<WatchHandler>();
        services.AddSingleton<ResourceHandler>();
        services.AddSingleton<ReviewHandler>();
        services.AddSingleton<ScaleHandler>();
        services.AddSingleton<BindingHandler>();
        services.AddSingleton<EvictionHandler>();
        services.AddSingleton(sp => new DiscoveryDocuments(Metrics.MetricsApi.WithMetrics(sp.GetRequiredService<ApiCatalog>())));
        services.AddSingleton<Metrics.MetricsStore>();
        services.AddSingleton<Metrics.MetricsHandler>();
        services.AddSingleton<Metrics.IResourceMetricsSource, Metrics.KubeletResourceMetrics>();
        services.AddHostedService(sp => new Metrics.MetricsScraper(sp.GetRequiredService<StoreRegistry>(), sp.GetRequiredService<Metrics.IResourceMetricsSource>(),
            sp.GetRequiredService<Metrics.MetricsStore>(), sp.GetRequiredService<TimeProvider>(), options.MetricResolution,
            sp.GetRequiredService<ILogger<Metrics.MetricsScraper>>()));
        services.AddSingleton<ApiRouter>();
        services.AddSingleton<Authentication>();
        services.AddSingleton<Security.Authorization.Authorization>();
        services.AddSingleton<Security.Authorization.RbacAuthorizer>();
        services.AddSingleton<Security.Authorization.RbacPolicyCache>();
        services.AddHostedService(sp => sp.GetRequiredService<Security.Authorization.RbacPolicyCache>());
        services.AddSingleton<StatusErrors>();
        services.AddHostedService(sp => new AllocationRepair(sp.GetRequiredService<StoreRegistry>(), sp.GetRequiredService<CachedStorage>(), sp.GetRequiredService<ILogger<AllocationRepair>>()));
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ServerOptions options, ClusterPki pki)
    {
        kestrel.Limits.MaxRequestBodySize = null; // bodies are capped at 3 MiB with a proper 413 Status by BodyReader
        kestrel.Listen(System.Net.IPAddress.Parse(options.BindAddress), options.SecurePort, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = pki.Serving,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (certificate, _, _) => pki.IsIssuedByCa(certificate),
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            });
        });
    }
}
