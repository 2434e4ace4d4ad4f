using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace K8sSharp.Kubelet.Server;

/// <summary>
/// The kubelet's serving certificate when none is given, as upstream: self-signed, generated on the first start as
/// <c>&lt;root-dir&gt;/pki/kubelet.crt</c> and <c>kubelet.key</c> (PEM) and reused afterwards. Its subject is
/// <c>&lt;node&gt;@&lt;unix time&gt;</c> and it names the node, localhost and the node's addresses. The API server does not
/// verify it (no --kubelet-certificate-authority), but TLS needs one. Its key is ECDSA P-256 where upstream's is RSA
/// 2048: nothing checks the key type, and generating an RSA key cost ~0.4 s of CPU on every fresh node's start (a
/// third of the kubelet's CPU before its first API request). A key written by an earlier version (RSA) is still loaded.
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
            using var key = created.GetECDsaPrivateKey()!;
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(certFile, created.ExportCertificatePem());
        }
        return X509Certificate2.CreateFromPemFile(certFile, keyFile);
    }

    internal static X509Certificate2 Create(string nodeName, IEnumerable<string> addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={nodeName}@{now.ToUnixTimeSeconds()}", key, HashAlgorithmName.SHA256);
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
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(now.AddHours(-1), now.AddYears(1));
    }
}
