using System.Collections.Concurrent;
using K8sSharp.Kubelet.Server.Auth;

namespace K8sSharp.Kubelet.Tests.Server;

/// <summary>
/// The API server's side of the kubelet's webhook auth, faked at the process edge: tokens it knows, and decisions
/// (system:masters may do everything; others what <see cref="Allow"/> granted). Records every question asked.
/// </summary>
internal sealed class FakeKubeletAuth : IKubeletAuth
{
    private readonly ConcurrentDictionary<string, KubeletUser> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, string Verb, string Subresource), bool> grants = new();

    public ConcurrentQueue<(string User, string Verb, string Subresource)> Asked { get; } = new();

    public void AddToken(string token, KubeletUser user) => tokens[token] = user;

    public void Allow(string user, string verb, string subresource) => grants[(user, verb, subresource)] = true;

    public Task<KubeletUser?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken) =>
        Task.FromResult(tokens.TryGetValue(token, out var user) ? user : null);

    public Task<bool> AuthorizeAsync(KubeletUser user, string verb, string subresource, CancellationToken cancellationToken)
    {
        Asked.Enqueue((user.Name, verb, subresource));
        return Task.FromResult(user.Groups.Contains("system:masters") || grants.ContainsKey((user.Name, verb, subresource)));
    }
}
