using k8s;
using K8sSharp.Client.LeaderElection;
using K8sSharp.Scheduler.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace K8sSharp.Scheduler.Hosting;

/// <summary>
/// The process: <c>/healthz</c> and <c>/metrics</c> on http://127.0.0.1:port (plain HTTP until the components get
/// serving certificates), and, in the background, leader election on Lease kube-system/kube-scheduler; pods are
/// scheduled only while this process holds it. Losing the lease ends the process (as upstream), so a supervisor
/// restarts it as a fresh candidate; SIGTERM releases the lease so a successor need not wait for it to expire.
/// </summary>
internal static partial class SchedulerHost
{
    public static WebApplication Build(SchedulerOptions options, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        // Health probes and scrapes arrive often; per-request logs would drown the scheduler's own lines.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new SchedulerMetrics(Metrics.DefaultRegistry));
        builder.Services.AddHostedService<LeaderElectedScheduler>();
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapMetrics("/metrics");
        return app;
    }

    private sealed partial class LeaderElectedScheduler(
        SchedulerOptions options, SchedulerMetrics metrics, TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : BackgroundService
    {
        private readonly ILogger logger = loggers.CreateLogger("K8sSharp.Scheduler");

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var config = K8sSharp.Client.Configuration.Kubeconfig.Load(options.Kubeconfig);
            using var client = K8sSharp.Client.ComponentClient.Create(config, "kube-scheduler");
            var runtime = new SchedulerRuntime(client, options.SchedulerName, metrics, time, loggers);
            var identity = $"{Environment.MachineName}_{Guid.NewGuid()}";
            var elector = new LeaderElector(client, new LeaderElectionConfig(options.LeaseName, identity), time, loggers.CreateLogger<LeaderElector>())
            {
                OnStartedLeading = runtime.RunAsync,
            };
            LogCampaigning(logger, identity, options.LeaseName, config.Host);
            await elector.RunAsync(stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                LogLeadershipLost(logger);
                Environment.ExitCode = LeaderElector.LostLeadershipExitCode;
                lifetime.StopApplication();
            }
        }

        [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "{Identity} campaigning for lease kube-system/{Lease} at {Server}")]
        private static partial void LogCampaigning(ILogger logger, string identity, string lease, string server);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "leader election lost; exiting")]
        private static partial void LogLeadershipLost(ILogger logger);
    }
}
