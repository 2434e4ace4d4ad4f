namespace K8sSharp.Kubelet.Server.Auth;

/// <summary>Who called the kubelet's server, as the API server would name them (user, groups, extra).</summary>
internal sealed record KubeletUser(string Name, IReadOnlyList<string> Groups, string? Uid = null, IDictionary<string, IList<string>>? Extra = null);
