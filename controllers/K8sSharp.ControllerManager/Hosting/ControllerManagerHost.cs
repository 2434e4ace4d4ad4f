using k8s;
using K8sSharp.Client.LeaderElection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>
/// The process: <c>/healthz</c> on http://127.0.0.1:port (plain HTTP until the components get serving certificates),
/// and, in the background, leader election on Lease kube-system/kube-controller-manager; the controllers run only
/// while this process holds it. Losing the lease ends the process (as upstream), so a supervisor restarts it as a
/// fresh candidate; SIGTERM releases the lease so a successor need not wait for it to expire.
/// </summary>
internal static partial class ControllerManagerHost
{
    public const string LeaseName = "kube-controller-manager";

    public static WebApplication Build(ControllerManagerOptions options, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        // Health probes arrive every second or so; per-request logs would drown the controllers' own lines.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<LeaderElectedControllers>();
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }

    private sealed partial class LeaderElectedControllers(
        ControllerManagerOptions options, TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : BackgroundService
    {
        private readonly ILogger logger = loggers.CreateLogger("K8sSharp.ControllerManager");

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var config = K8sSharp.Client.Configuration.Kubeconfig.Load(options.Kubeconfig);
            using var client = K8sSharp.Client.ComponentClient.Create(config, "kube-controller-manager");
            var manager = new ControllerManager(client, ClusterCa.FromKubeconfig(options.Kubeconfig), options, time, loggers);
            var identity = $"{Environment.MachineName}_{Guid.NewGuid()}";
            var elector = new LeaderElector(client, new LeaderElectionConfig(LeaseName, identity), time, loggers.CreateLogger<LeaderElector>())
            {
                OnStartedLeading = manager.RunAsync,
            };
            LogCampaigning(logger, identity, config.Host);
            await elector.RunAsync(stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                LogLeadershipLost(logger);
                Environment.ExitCode = LeaderElector.LostLeadershipExitCode;
                lifetime.StopApplication();
            }
        }

        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Identity} campaigning for lease kube-system/kube-controller-manager at {Server}")]
        private static partial void LogCampaigning(ILogger logger, string identity, string server);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "leader election lost; exiting")]
        private static partial void LogLeadershipLost(ILogger logger);
    }
}
