using System.Security.Cryptography.X509Certificates;
using K8sSharp.Kubelet.Server;
using K8sSharp.Kubelet.Server.Auth;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.Kubelet.Tests.Server;

public sealed class ClientCertificateAuthenticatorTests
{
    private static readonly X509Certificate2 ClusterCa = TestCertificates.Ca();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private ClientCertificateAuthenticator Authenticator() => new([ClusterCa], time);

    [Fact]
    public void A_client_certificate_from_the_cluster_ca_authenticates_as_its_common_name_in_its_organizations()
    {
        using var client = TestCertificates.Client(ClusterCa, "CN=jane, O=devs, O=ops");
        var user = Authenticator().Authenticate(client);
        user!.Name.Should().Be("jane");
        user.Groups.Should().BeEquivalentTo(["devs", "ops"]);
    }

    [Fact]
    public void Certificates_from_another_ca_or_none_at_all_do_not()
    {
        using var otherCa = TestCertificates.Ca("someone-else");
        using var stranger = TestCertificates.Client(otherCa);

        Authenticator().Authenticate(stranger).Should().BeNull();
        Authenticator().Authenticate(null).Should().BeNull();
    }

    [Fact]
    public void An_expired_certificate_does_not()
    {
        using var client = TestCertificates.Client(ClusterCa);
        time.Advance(TimeSpan.FromDays(2));
        Authenticator().Authenticate(client).Should().BeNull();
    }

    [Fact]
    public void The_serving_certificate_has_an_ecdsa_key_names_the_node_and_its_addresses_and_is_reused_after_a_restart()
    {
        var root = Directory.CreateTempSubdirectory("k8ssharp-pki-").FullName;
        try
        {
            using var first = ServingCertificate.LoadOrCreate(root, "node-a", ["192.0.2.7"], time);
            using var again = ServingCertificate.LoadOrCreate(root, "node-a", ["192.0.2.7"], time);

            first.Thumbprint.Should().Be(again.Thumbprint);
            first.HasPrivateKey.Should().BeTrue();
            first.GetECDsaPublicKey().Should().NotBeNull("an ECDSA key is generated in milliseconds, an RSA 2048 one took ~0.4 s of CPU at start");
            first.Subject.Should().StartWith("CN=node-a@");
            var names = first.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            names.EnumerateDnsNames().Should().Contain(["node-a", "localhost"]);
            names.EnumerateIPAddresses().Select(ip => ip.ToString()).Should().Contain(["127.0.0.1", "192.0.2.7"]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
