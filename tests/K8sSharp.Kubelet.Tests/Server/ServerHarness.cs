using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using K8sSharp.Kubelet.Pods;
using K8sSharp.Kubelet.Runtime;
using K8sSharp.Kubelet.Server;
using K8sSharp.Kubelet.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace K8sSharp.Kubelet.Tests.Server;

/// <summary>
/// The kubelet's server in-process on ephemeral loopback ports, over the real docker runtime and a fixed set of pods,
/// with a cluster CA and a client certificate it issued (what the API server presents).
/// </summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly WebApplication app;

    private ServerHarness(WebApplication app, X509Certificate2 ca, X509Certificate2 client, X509Certificate2 serving, FakeKubeletAuth auth)
    {
        this.app = app;
        Auth = auth;
        ServingThumbprint = serving.Thumbprint;
        Ca = ca;
        Client = client;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        Https = addresses.Single(a => a.Scheme == "https");
        Healthz = addresses.Single(a => a.Scheme == "http");
    }

    public X509Certificate2 Ca { get; }

    /// <summary>What the API server would answer to the server's TokenReviews and SubjectAccessReviews.</summary>
    public FakeKubeletAuth Auth { get; }

    /// <summary>The server's self-signed certificate: what the clients here pin.</summary>
    public string ServingThumbprint { get; }

    public X509Certificate2 Client { get; }

    public Uri Https { get; }

    public Uri Healthz { get; }

    public static async Task<ServerHarness> StartAsync(INodePods pods, DockerRuntime runtime, PodPaths paths)
    {
        var ca = TestCertificates.Ca();
        var client = TestCertificates.Client(ca);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(pods);
        builder.Services.AddSingleton<IContainerRuntime>(runtime);
        builder.Services.AddSingleton(runtime.Client);
        builder.Services.AddSingleton(paths);
        var serving = ServingCertificate.Create("test-node", [], DateTimeOffset.UtcNow);
        var auth = new FakeKubeletAuth();
        KubeletServer.AddServer(builder, new ServerSettings(
            "test-node", IPAddress.Loopback, 0, 0, serving, new ClientCertificateAuthenticator([ca], TimeProvider.System), auth));
        var app = builder.Build();
        KubeletServer.MapServer(app);
        await app.StartAsync();
        return new ServerHarness(app, ca, client, serving, auth);
    }

    /// <summary>An HTTPS client presenting <paramref name="certificate"/> (none when null) that pins the server's certificate.</summary>
    public HttpClient HttpClient(X509Certificate2? certificate) => new(new SocketsHttpHandler
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            RemoteCertificateValidationCallback = (_, presented, _, _) => IsServing(presented),
        },
    });

    /// <summary>
    /// A WebSocket handshake written by hand, for subprotocols ClientWebSocket refuses to send (kubectl's
    /// <c>SPDY/3.1+portforward.k8s.io</c> contains a '/').
    /// </summary>
    public async Task<WebSocket> ConnectRawAsync(string pathAndQuery, string protocol)
    {
        var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Https.Port);
        var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, presented, _, _) => IsServing(presented));
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [Client],
            ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http11],
        });
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: {Https.Authority}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n";
        await tls.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        var head = new List<byte>();
        while (head.Count < 4 || !head.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            var b = tls.ReadByte();
            if (b < 0)
            {
                throw new IOException("the server closed the connection during the handshake");
            }
            head.Add((byte)b);
        }
        var response = System.Text.Encoding.ASCII.GetString([.. head]);
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) || !response.Contains($"Sec-WebSocket-Protocol: {protocol}", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException("the WebSocket upgrade was refused: " + response);
        }
        return WebSocket.CreateFromStream(tls, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
    }

    public async Task<ClientWebSocket> ConnectAsync(string pathAndQuery, string protocol)
    {
        var socket = new ClientWebSocket();
        socket.Options.ClientCertificates.Add(Client);
        socket.Options.RemoteCertificateValidationCallback = (_, presented, _, _) => IsServing(presented);
        socket.Options.AddSubProtocol(protocol);
        await socket.ConnectAsync(new Uri($"wss://{Https.Authority}{pathAndQuery}"), CancellationToken.None);
        return socket;
    }

    private bool IsServing(X509Certificate? presented) => presented?.GetCertHashString() == ServingThumbprint;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Ca.Dispose();
        Client.Dispose();
    }
}
