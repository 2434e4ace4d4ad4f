using System.Text;
using k8s;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>The cluster CA bundle (PEM) as the kubeconfig's current cluster carries it in certificate-authority-data (or -authority, a file).</summary>
internal static class ClusterCa
{
    public static string FromKubeconfig(string path)
    {
        var config = K8sSharp.Client.Configuration.Kubeconfig.Read(path);
        var contextName = config.CurrentContext;
        var context = config.Contexts?.FirstOrDefault(c => c.Name == contextName)
            ?? throw new InvalidOperationException($"kubeconfig {path}: current context \"{contextName}\" not found");
        var cluster = config.Clusters?.FirstOrDefault(c => c.Name == context.ContextDetails.Cluster)?.ClusterEndpoint
            ?? throw new InvalidOperationException($"kubeconfig {path}: cluster \"{context.ContextDetails.Cluster}\" not found");
        if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData))
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(cluster.CertificateAuthorityData));
        }
        if (!string.IsNullOrEmpty(cluster.CertificateAuthority))
        {
            var file = Path.IsPathRooted(cluster.CertificateAuthority)
                ? cluster.CertificateAuthority
                : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, cluster.CertificateAuthority);
            return File.ReadAllText(file);
        }
        throw new InvalidOperationException($"kubeconfig {path}: the cluster has no certificate authority to publish");
    }
}
