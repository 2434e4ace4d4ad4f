using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace K8sSharp.Kubelet.Tests.Server;

/// <summary>A cluster CA and client certificates for the server tests (as the API server's PKI issues them).</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Ca(string name = "k8ssharp-test-ca")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A client certificate (clientAuth) for <paramref name="subject"/>, signed by <paramref name="ca"/>.</summary>
    public static X509Certificate2 Client(X509Certificate2 ca, string subject = "CN=kube-apiserver-kubelet-client, O=system:masters")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
        // A PFX round trip gives SslStream a certificate whose key it can use on every platform.
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
