namespace K8sSharp.Kubelet.Server.Auth;

/// <summary>
/// The decisions the kubelet's server delegates to the API server, as upstream's webhook modes
/// (<c>--authentication-token-webhook</c>, <c>--authorization-mode=Webhook</c>).
/// </summary>
internal interface IKubeletAuth
{
    /// <summary>The user a bearer token belongs to (TokenReview), or null when it is not valid.</summary>
    Task<KubeletUser?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="user"/> may <paramref name="verb"/> this node's <paramref name="subresource"/> (SubjectAccessReview).</summary>
    Task<bool> AuthorizeAsync(KubeletUser user, string verb, string subresource, CancellationToken cancellationToken);
}
