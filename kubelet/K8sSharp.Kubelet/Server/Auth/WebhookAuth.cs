using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace K8sSharp.Kubelet.Server.Auth;

/// <summary>
/// <see cref="IKubeletAuth"/> through the API server: TokenReview for bearer tokens and SubjectAccessReview on
/// <c>nodes/&lt;subresource&gt;</c> of this node. Answers are cached as upstream's defaults: authenticated tokens 2 min,
/// allowed decisions 5 min, denied ones 30 s; an unanswered review throws (the server answers 500 then).
/// </summary>
internal sealed class WebhookAuth(IKubernetes client, string nodeName, TimeProvider time) : IKubeletAuth
{
    private static readonly TimeSpan TokenTtl = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan AllowedTtl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DeniedTtl = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (KubeletUser? User, DateTimeOffset Until)> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (bool Allowed, DateTimeOffset Until)> decisions = new(StringComparer.Ordinal);

    public async Task<KubeletUser?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (tokens.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.User;
        }
        var review = await client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken: cancellationToken);
        var user = review.Status?.Authenticated == true && review.Status.User is { } info
            ? new KubeletUser(info.Username, info.Groups?.ToList() ?? [], info.Uid, info.Extra)
            : null;
        tokens[key] = (user, time.GetUtcNow() + (user is null ? DeniedTtl : TokenTtl));
        return user;
    }

    public async Task<bool> AuthorizeAsync(KubeletUser user, string verb, string subresource, CancellationToken cancellationToken)
    {
        var key = string.Join('\n', user.Name, string.Join(',', user.Groups), verb, subresource);
        if (decisions.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.Allowed;
        }
        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user.Name,
                Groups = [.. user.Groups],
                Uid = user.Uid,
                Extra = user.Extra,
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = verb,
                    Version = "v1",
                    Resource = "nodes",
                    Subresource = subresource,
                    Name = nodeName,
                },
            },
        }, cancellationToken: cancellationToken);
        var allowed = review.Status?.Allowed == true;
        decisions[key] = (allowed, time.GetUtcNow() + (allowed ? AllowedTtl : DeniedTtl));
        return allowed;
    }
}
