using FluentAssertions;
using k8s;
using K8sSharp.ApiServer.Hosting;
using K8sSharp.Client.Informers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace K8sSharp.Testing;

/// <summary>
/// Our real API server in-process (memory storage, TLS on a loopback port), a KubernetesClient from the kubeconfig it
/// writes, and a shared informer factory over that client. Tests preload objects, call <see cref="StartInformersAsync"/>
/// (after registering their controller), then drive reconciles by hand and assert on what the server holds.
/// <see cref="RestartAsync"/> stops it and starts a fresh one on the same port and PKI: the memory storage starts empty,
/// as after losing etcd, which is what informers must survive.
/// </summary>
public sealed class ApiServerHarness : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "k8ssharp-test-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;
    private int port;

    public IKubernetes Client { get; private set; } = null!;

    public SharedInformerFactory Informers { get; } = new();

    public string KubeconfigPath => Path.Combine(dataDirectory, "kubeconfig");

    public async Task InitializeAsync()
    {
        await StartAsync();
        Client = NewClient();
    }

    /// <summary>A client of its own (own HTTP connections), as a separate process would have.</summary>
    public IKubernetes NewClient() =>
        new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath, masterUrl: $"https://127.0.0.1:{port}"));

    public async Task StartInformersAsync()
    {
        Informers.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        (await Informers.WaitForCacheSyncAsync(timeout.Token)).Should().BeTrue("the informers synced");
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Informers.DisposeAsync();
        Client?.Dispose();
        await StopAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    /// <summary>Starts on the port of the previous start (a fresh loopback port the first time).</summary>
    private async Task StartAsync()
    {
        app = ApiServerHost.Build(
            new ServerOptions(dataDirectory, "memory", string.Empty, port, "127.0.0.1"),
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        await ApiServerHost.InitializeAsync(app, "127.0.0.1", port, CancellationToken.None);
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
