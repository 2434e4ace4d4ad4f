namespace K8sSharp.Api.Schema;

public readonly record struct GroupVersionKind(string Group, string Version, string Kind)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => $"{ApiVersion}, Kind={Kind}";
}

/// <summary>A subresource such as <c>status</c>, <c>scale</c> or <c>log</c> of an <see cref="ApiResource"/>.</summary>
/// <param name="Kind">The kind the subresource accepts and returns (for <c>scale</c>: autoscaling/v1 Scale).</param>
public sealed record ApiSubresource(string Name, GroupVersionKind Kind, IReadOnlyList<string> Verbs);

/// <summary>
/// One served resource of one group-version, as discovery describes it. Built from the official OpenAPI paths
/// (URLs, scope, verbs, subresources) and <see cref="ResourceHints"/> (short names, categories).
/// </summary>
public sealed record ApiResource(
    string Group,
    string Version,
    string Name,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<ApiSubresource> Subresources,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories)
{
    public GroupVersionKind Gvk => new(Group, Version, Kind);

    public string ApiVersion => Gvk.ApiVersion;

    /// <summary>Lower-case kind, as upstream's default singular name.</summary>
    public string SingularName => Kind.ToLowerInvariant();

    /// <summary>The group-qualified resource name used in messages and storage keys (<c>deployments.apps</c>, <c>pods</c>).</summary>
    public string GroupResource => Group.Length == 0 ? Name : $"{Name}.{Group}";

    public bool HasSubresource(string name) => Subresources.Any(s => s.Name == name);

    public ApiSubresource? Subresource(string name) => Subresources.FirstOrDefault(s => s.Name == name);
}
