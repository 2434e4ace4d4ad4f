using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>
/// A real API server in-process: Kestrel with TLS on an ephemeral loopback port, the in-memory storage behind the
/// watch cache, and an HttpClient authenticated with the generated admin client certificate.
/// </summary>
public class ApiServerFixture : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "k8ssharp-test-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public string DataDirectory => dataDirectory;

    public IServiceProvider Services => app!.Services;

    public async Task InitializeAsync()
    {
        var options = new ServerOptions(dataDirectory, "memory", string.Empty, 0, "127.0.0.1");
        app = ApiServerHost.Build(options, Configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        await ApiServerHost.InitializeAsync(app, "127.0.0.1", BaseAddress.Port, CancellationToken.None);
        Client = CreateClient(withCertificate: true);
    }

    /// <summary>Lets a derived fixture replace services before the server is built.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public HttpClient CreateClient(bool withCertificate)
    {
        var pki = Path.Combine(dataDirectory, "pki");
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "ca.crt")));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
            {
                chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate!);
            },
        };
        if (withCertificate)
        {
            handler.ClientCertificates.Add(X509Certificate2.CreateFromPemFile(Path.Combine(pki, "admin.crt"), Path.Combine(pki, "admin.key")));
        }
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Directory.Delete(dataDirectory, recursive: true);
    }
}

/// <summary>Small helpers for JSON requests against the fixture.</summary>
public static class HttpJson
{
    public static StringContent Body(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}

/// <summary>Polling for what the server applies asynchronously (e.g. RBAC changes reaching the authorizer).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }
            await Task.Delay(50);
        }
    }
}
