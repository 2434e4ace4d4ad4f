using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Net.Client;
using Etcdserverpb;
using Google.Protobuf;

namespace K8sSharp.Bench;

/// <summary>
/// The clients of one run: the API server over TLS with the admin client certificate (HTTP/2; more than one
/// connection only when a connection's 100 concurrent streams are used up, i.e. for watchers), and raw etcd
/// through dotnet-etcd's generated KV/Watch stubs on one plain gRPC channel (no retry policy) — the same stack the API server uses.
/// </summary>
internal sealed class Cluster : IDisposable
{
    private readonly GrpcChannel etcd;

    public Cluster(BenchOptions options)
    {
        Options = options;
        // gRPC caps received messages at 4 MB by default; a range of 10k pods is ~45 MB.
        etcd = GrpcChannel.ForAddress(options.EtcdUrl, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        Kv = new KV.KVClient(etcd);
        Watch = new Watch.WatchClient(etcd);
        var pki = Path.Combine(options.DataDir, "pki");
        Ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "ca.crt")));
        // Re-imported so that SslStream can use the private key on Linux.
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "admin.crt"), Path.Combine(pki, "admin.key"));
        Admin = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        Api = NewHttpClient(new Uri(options.ApiUrl), Admin, ValidateWithCa);
    }

    public BenchOptions Options { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Admin { get; }

    public HttpClient Api { get; }

    public static HttpClient NewHttpClient(Uri baseAddress, X509Certificate2? clientCertificate, RemoteCertificateValidationCallback validate)
    {
        var ssl = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validate };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
        }
        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = 64,
            AutomaticDecompression = DecompressionMethods.None,
        };
        return new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public bool ValidateWithCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(Ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }

    public async Task PutAsync(string key, ByteString value) =>
        await Kv.PutAsync(new PutRequest { Key = Key(key), Value = value });

    public async Task DeletePrefixAsync(string prefix) =>
        await Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = Key(prefix), RangeEnd = PrefixEnd(prefix) });

    /// <summary>POSTs JSON and fails loudly on anything but 201 (or 200), so a benchmark never times errors.</summary>
    public async Task<byte[]> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await Api.PostAsync(new Uri(path, UriKind.Relative), content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        }
        return bytes;
    }

    /// <summary>GETs and counts the body's bytes without keeping or parsing them; fails on a non-2xx status.</summary>
    public async Task<long> GetDrainAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            total += n;
        }
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return total;
    }

    /// <summary>Creates a Namespace and returns its uid (the owner of the bench's pods, see <see cref="Payloads"/>).</summary>
    public async Task<string> CreateNamespaceAsync(string name)
    {
        var created = await PostAsync("/api/v1/namespaces", Encoding.UTF8.GetBytes($"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{name}\"}}}}"));
        using var document = System.Text.Json.JsonDocument.Parse(created);
        return document.RootElement.GetProperty("metadata").GetProperty("uid").GetString()!;
    }

    public async Task DeleteNamespaceAsync(string name)
    {
        using var response = await Api.DeleteAsync(new Uri($"/api/v1/namespaces/{name}", UriKind.Relative));
    }

    public void Dispose()
    {
        Api.Dispose();
        etcd.Dispose();
        Admin.Dispose();
        Ca.Dispose();
    }
}
