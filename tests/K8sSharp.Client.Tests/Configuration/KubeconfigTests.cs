using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using K8sSharp.Client.Configuration;

namespace K8sSharp.Client.Tests.Configuration;

public sealed class KubeconfigTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kubeconfig-tests").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Embedded_data_gives_the_same_configuration_as_KubernetesClient()
    {
        var (cert, key) = SelfSigned();
        var path = Write("config", $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {{Base64(cert)}}
            users:
            - name: u
              user:
                client-certificate-data: {{Base64(cert)}}
                client-key-data: {{Base64(key)}}
            contexts:
            - name: ctx
              context: {cluster: c, user: u, namespace: team-a}
            current-context: ctx
            preferences: {}
            """);

        var ours = Kubeconfig.Load(path);
        var theirs = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);

        ours.Host.Should().Be(theirs.Host).And.Be("https://127.0.0.1:6443");
        ours.Namespace.Should().Be("team-a");
        ours.CurrentContext.Should().Be(theirs.CurrentContext);
        ours.SslCaCerts!.Cast<X509Certificate2>().Single().Thumbprint.Should().Be(theirs.SslCaCerts!.Cast<X509Certificate2>().Single().Thumbprint);
        ours.ClientCertificateData.Should().Be(theirs.ClientCertificateData);
        ours.ClientCertificateKeyData.Should().Be(theirs.ClientCertificateKeyData);
    }

    [Fact]
    public void Relative_certificate_paths_resolve_against_the_kubeconfig_directory()
    {
        var (cert, key) = SelfSigned();
        File.WriteAllText(Path.Combine(dir, "ca.pem"), cert);
        File.WriteAllText(Path.Combine(dir, "client.pem"), cert);
        File.WriteAllText(Path.Combine(dir, "client-key.pem"), key);
        var path = Write("config", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:7443", certificate-authority: ca.pem}
            users:
            - name: u
              user: {client-certificate: client.pem, client-key: client-key.pem}
            contexts:
            - name: ctx
              context: {cluster: c, user: u}
            current-context: ctx
            """);

        var config = Kubeconfig.Load(path, masterUrl: "https://127.0.0.1:9443");

        config.Host.Should().Be("https://127.0.0.1:9443");
        config.SslCaCerts.Should().ContainSingle();
        config.ClientCertificateFilePath.Should().Be(Path.Combine(dir, "client.pem"));
        config.ClientKeyFilePath.Should().Be(Path.Combine(dir, "client-key.pem"));
    }

    [Fact]
    public void A_missing_context_is_a_kubeconfig_error()
    {
        var path = Write("config", "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: nowhere\n");

        var load = () => Kubeconfig.Load(path);

        load.Should().Throw<KubeConfigException>().WithMessage("*nowhere*");
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));

    private static (string Cert, string Key) SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubeconfig-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return (cert.ExportCertificatePem(), rsa.ExportRSAPrivateKeyPem());
    }
}
