using System.Security.Cryptography.X509Certificates;

namespace K8sSharp.Kubelet.Server.Auth;

/// <summary>
/// Authenticates callers of the kubelet's server by their client certificate, as upstream's <c>--client-ca-file</c>:
/// the chain must end at the cluster CA (the certificate authority of the kubelet's kubeconfig) and the leaf must be
/// valid now and allowed for client authentication. The user is the certificate's CN, its groups the O values, as the
/// API server reads them.
/// </summary>
internal sealed class ClientCertificateAuthenticator(X509Certificate2Collection clusterCas, TimeProvider time)
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>The user when the certificate is trusted, else null.</summary>
    public KubeletUser? Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null || clusterCas.Count == 0)
        {
            return null;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(clusterCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthOid));
        if (!chain.Build(certificate))
        {
            return null;
        }
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == OrganizationOid)
            .Select(rdn => rdn.GetSingleElementValue() ?? string.Empty)
            .ToList();
        return new KubeletUser(certificate.GetNameInfo(X509NameType.SimpleName, false), groups);
    }
}
