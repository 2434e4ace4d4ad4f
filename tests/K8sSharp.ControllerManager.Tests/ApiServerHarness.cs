using k8s;
using K8sSharp.ApiServer.Hosting;
using K8sSharp.Client.Informers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Tests;

/// <summary>
/// Our real API server in-process (memory storage, TLS on a loopback port), a KubernetesClient from the kubeconfig it
/// writes, and a shared informer factory over that client. Tests preload objects, call <see cref="StartInformersAsync"/>
/// (after registering their controller), then drive reconciles by hand and assert on what the server holds.
/// </summary>
public sealed class ApiServerHarness : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "k8ssharp-cm-test-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;

    public IKubernetes Client { get; private set; } = null!;

    public SharedInformerFactory Informers { get; } = new();

    public string KubeconfigPath => Path.Combine(dataDirectory, "kubeconfig");

    public async Task InitializeAsync()
    {
        app = ApiServerHost.Build(
            new ServerOptions(dataDirectory, "memory", string.Empty, 0, "127.0.0.1"),
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await ApiServerHost.InitializeAsync(app, "127.0.0.1", port, CancellationToken.None);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath, masterUrl: $"https://127.0.0.1:{port}"));
    }

    public async Task StartInformersAsync()
    {
        Informers.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        (await Informers.WaitForCacheSyncAsync(timeout.Token)).Should().BeTrue("the informers synced");
    }

    public async Task DisposeAsync()
    {
        await Informers.DisposeAsync();
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Directory.Delete(dataDirectory, recursive: true);
    }
}

/// <summary>Bounded polling for what arrives asynchronously (watch events reaching a lister); never a fixed sleep.</summary>
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
            await Task.Delay(20);
        }
    }
}
