using System.Net;
using System.Security.Cryptography.X509Certificates;
using K8sSharp.Kubelet.Server.Auth;

namespace K8sSharp.Kubelet.Server;

/// <summary>
/// Where and how the kubelet's server listens: HTTPS on <see cref="BindAddress"/>:<see cref="Port"/> (10250) with the
/// serving certificate, callers authenticated by client certificate (or a bearer token through <see cref="Auth"/>) and
/// authorized through <see cref="Auth"/>, and plain HTTP <c>/healthz</c> on 127.0.0.1:<see cref="HealthzPort"/> (10248),
/// as upstream's two listeners. <see cref="NodeName"/> labels the stats.
/// </summary>
internal sealed record ServerSettings(
    string NodeName,
    IPAddress BindAddress,
    int Port,
    int HealthzPort,
    X509Certificate2 ServingCertificate,
    ClientCertificateAuthenticator Authenticator,
    IKubeletAuth Auth);
