using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace K8sSharp.ApiServer.Security;

/// <summary>Writes the admin kubeconfig next to the cluster state, with the CA and the admin credentials embedded.</summary>
internal static class Kubeconfig
{
    public static void WriteAdmin(string path, ClusterPki pki, int port)
    {
        var ca = Base64(pki.Ca.ExportCertificatePem());
        var cert = Base64(pki.Admin.ExportCertificatePem());
        var key = Base64(pki.Admin.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var text = $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: k8ssharp
              cluster:
                server: https://127.0.0.1:{{port}}
                certificate-authority-data: {{ca}}
            users:
            - name: k8ssharp-admin
              user:
                client-certificate-data: {{cert}}
                client-key-data: {{key}}
            contexts:
            - name: k8ssharp
              context:
                cluster: k8ssharp
                user: k8ssharp-admin
                namespace: default
            current-context: k8ssharp
            preferences: {}

            """;
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
