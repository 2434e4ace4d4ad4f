using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace K8sSharp.ApiServer.Security;

/// <summary>
/// The cluster's certificates, made on first start and kept in <c>&lt;data-dir&gt;/pki</c>: a CA, the API server's
/// serving certificate (for localhost, 127.0.0.1, the advertised host address and the in-cluster names and IP of the
/// <c>kubernetes</c> Service; reissued when the host address changes) and the admin client certificate (CN kubernetes-admin, O system:masters) the admin kubeconfig uses, and the client
/// certificate the API server presents to kubelets.
/// </summary>
internal sealed class ClusterPki
{
    private static readonly string[] ServingNames =
        ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];

    private ClusterPki(string directory, X509Certificate2 ca, X509Certificate2 serving, X509Certificate2 admin, X509Certificate2 kubeletClient)
    {
        Directory = directory;
        Ca = ca;
        Serving = serving;
        Admin = admin;
        KubeletClient = kubeletClient;
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Serving { get; }

    public X509Certificate2 Admin { get; }

    /// <summary>What the API server presents to kubelets when it proxies logs, exec, attach and port-forward.</summary>
    public X509Certificate2 KubeletClient { get; }

    public static ClusterPki LoadOrCreate(string dataDirectory, string advertiseAddress)
    {
        var directory = Path.Combine(dataDirectory, "pki");
        System.IO.Directory.CreateDirectory(directory);
        var ca = LoadOrCreate(directory, "ca", () => CreateCa());
        var hostAddress = IPAddress.Parse(advertiseAddress);
        var serving = LoadOrCreate(directory, "apiserver", () => Issue(ca, "kube-apiserver", null, hostAddress),
            existing => existing.MatchesHostname(hostAddress.ToString()));
        var admin = LoadOrCreate(directory, "admin", () => Issue(ca, "kubernetes-admin", "system:masters", servingAddress: null));
        var kubeletClient = LoadOrCreate(directory, "apiserver-kubelet-client",
            () => Issue(ca, "kube-apiserver-kubelet-client", "system:masters", servingAddress: null));
        return new ClusterPki(directory, ca, serving, admin, kubeletClient);
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by this cluster's CA and is valid now.</summary>
    public bool IsIssuedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static X509Certificate2 LoadOrCreate(string directory, string name, Func<X509Certificate2> create,
        Func<X509Certificate2, bool>? stillValid = null)
    {
        var certPath = Path.Combine(directory, $"{name}.crt");
        var keyPath = Path.Combine(directory, $"{name}.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            if (stillValid?.Invoke(existing) ?? true)
            {
                return existing;
            }
            existing.Dispose();
        }
        var certificate = create();
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return certificate;
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=k8ssharp-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A client certificate, or with <paramref name="servingAddress"/> the API server's serving certificate.</summary>
    private static X509Certificate2 Issue(X509Certificate2 ca, string commonName, string? organization, IPAddress? servingAddress)
    {
        var server = servingAddress is not null;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = organization is null ? $"CN={commonName}" : $"CN={commonName}, O={organization}";
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usage = server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (server)
        {
            request.CertificateExtensions.Add(ServingAlternativeNames(servingAddress!));
        }
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        return X509Certificate2.CreateFromPem(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static X509Extension ServingAlternativeNames(IPAddress hostAddress)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in ServingNames.Append(Dns.GetHostName()))
        {
            names.AddDnsName(name);
        }
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.Parse("10.96.0.1"));
        if (!IPAddress.IsLoopback(hostAddress))
        {
            names.AddIpAddress(hostAddress);
        }
        return names.Build();
    }
}
