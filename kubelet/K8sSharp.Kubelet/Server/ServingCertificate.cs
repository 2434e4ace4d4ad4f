using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace K8sSharp.Kubelet.Server;

/// <summary>
/// The kubelet's serving certificate when none is given, as upstream: self-signed, generated on the first start as
/// <c>&lt;root-dir&gt;/pki/kubelet.crt</c> and <c>kubelet.key</c> (PEM) and reused afterwards. Its subject is
/// <c>&lt;node&gt;@&lt;unix time&gt;</c> and it names the node, localhost and the node's addresses. The API server does not
/// verify it (no --kubelet-certificate-authority), but TLS needs one.
/// </summary>
internal static class ServingCertificate
{
    public static X509Certificate2 LoadOrCreate(string rootDir, string nodeName, IEnumerable<string> addresses, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var dir = Path.Combine(rootDir, "pki");
        var certFile = Path.Combine(dir, "kubelet.crt");
        var keyFile = Path.Combine(dir, "kubelet.key");
        if (!File.Exists(certFile) || !File.Exists(keyFile))
        {
            Directory.CreateDirectory(dir);
            using var created = Create(nodeName, addresses, time.GetUtcNow());
            using var key = created.GetRSAPrivateKey()!;
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(certFile, created.ExportCertificatePem());
        }
        return X509Certificate2.CreateFromPemFile(certFile, keyFile);
    }

    internal static X509Certificate2 Create(string nodeName, IEnumerable<string> addresses, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={nodeName}@{now.ToUnixTimeSeconds()}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(nodeName);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var address in addresses.Where(a => a != "127.0.0.1").Distinct())
        {
            if (IPAddress.TryParse(address, out var ip))
            {
                names.AddIpAddress(ip);
            }
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(now.AddHours(-1), now.AddYears(1));
    }
}
