using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using K8sSharp.ApiServer.Security;

namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>
/// How the API server reaches what it proxies to: kubelets (HTTPS, presenting the kubelet-client certificate) and
/// pods or services (HTTP, or HTTPS when the URL names that scheme). As upstream without
/// <c>--kubelet-certificate-authority</c>, a backend's serving certificate is not checked against a CA: kubelets
/// serve self-signed certificates, and the client certificate is what authenticates this server to them.
/// </summary>
internal sealed class BackendTransport : IDisposable
{
    private readonly X509Certificate2 clientCertificate;

    public BackendTransport(ClusterPki pki)
    {
        clientCertificate = pki.KubeletClient;
        Http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            SslOptions = ClientOptions(string.Empty),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>For plain requests; responses are read as streams so <c>logs -f</c> flows as it is written.</summary>
    public HttpClient Http { get; }

    /// <summary>A raw connection to <paramref name="target"/>'s host, TLS when its scheme is https, for upgrades.</summary>
    public async Task<Stream> ConnectAsync(Uri target, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(target.Host, target.Port, ct);
            if (target.Scheme != Uri.UriSchemeHttps)
            {
                return tcp.GetStream();
            }
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(ClientOptions(target.Host), ct);
            return tls;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private SslClientAuthenticationOptions ClientOptions(string host) => new()
    {
        TargetHost = host,
        ClientCertificates = [clientCertificate],
        ApplicationProtocols = [SslApplicationProtocol.Http11],
        RemoteCertificateValidationCallback = AcceptBackendCertificate,
    };

    /// <summary>Upstream's default for kubelets and proxied pods: encrypted, but the peer is not verified.</summary>
    private static bool AcceptBackendCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null;

    public void Dispose() => Http.Dispose();
}
