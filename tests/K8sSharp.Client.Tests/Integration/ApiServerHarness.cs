using k8s;
using K8sSharp.ApiServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Client.Tests.Integration;

/// <summary>
/// Our real API server in-process (memory storage, TLS on a loopback port) and a KubernetesClient built from the
/// kubeconfig it writes. <see cref="RestartAsync"/> stops it and starts a fresh one on the same port and PKI: the
/// memory storage starts empty, as after losing etcd, which is what informers must survive.
/// </summary>
public sealed class ApiServerHarness : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "k8ssharp-client-test-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;
    private int port;

    public IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await StartAsync();
        var address = app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        port = new Uri(address).Port;
        Client = NewClient();
    }

    /// <summary>A client of its own (own HTTP connections), as a separate process would have.</summary>
    public IKubernetes NewClient()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(
            Path.Combine(dataDirectory, "kubeconfig"), masterUrl: $"https://127.0.0.1:{port}");
        return new Kubernetes(config);
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await StopAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private async Task StartAsync()
    {
        app = ApiServerHost.Build(
            new ServerOptions(dataDirectory, "memory", string.Empty, port, "127.0.0.1"),
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await ApiServerHost.InitializeAsync(app, "127.0.0.1", bound, CancellationToken.None);
    }

    private async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }
}

/// <summary>Polling for conditions that become true asynchronously (watch delivery, lease changes).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }
            await Task.Delay(25);
        }
    }

    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string because, double seconds = 10)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }
            await Task.Delay(50);
        }
    }
}
