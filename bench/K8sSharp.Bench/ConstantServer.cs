using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace K8sSharp.Bench;

/// <summary>
/// Kestrel answering GET /constant with fixed bytes over TLS (HTTP/1.1 and HTTP/2, the API server's serving
/// certificate): the ceiling of the HTTP stack alone. In its own process (<c>serve-constant</c>) it is also the
/// cold-start baseline.
/// </summary>
internal sealed class ConstantServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private ConstantServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ConstantServer> StartAsync(BenchOptions options, byte[] body)
    {
        var pki = Path.Combine(options.DataDir, "pki");
        var app = Build(0, Path.Combine(pki, "apiserver.crt"), Path.Combine(pki, "apiserver.key"), body);
        await app.StartAsync();
        var address = app.Urls.First();
        return new ConstantServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public static WebApplication Build(int port, string certFile, string keyFile, byte[] body)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
        {
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(certificate);
        }));
        var app = builder.Build();
        app.MapGet("/constant", (HttpContext c) =>
        {
            c.Response.ContentType = "application/json";
            return c.Response.Body.WriteAsync(body).AsTask();
        });
        app.MapGet("/readyz", () => "ok");
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
