using System.Reflection;
using k8s.Models;

namespace K8sSharp.Client.Dynamic;

/// <summary>A served resource by group, version and plural name, with the URL paths of its collection and items.</summary>
public sealed record GroupVersionResource(string Group, string Version, string Resource)
{
    /// <summary><c>v1</c> for the core group, <c>apps/v1</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary><c>api/v1/pods</c>, <c>apis/apps/v1/namespaces/ns/deployments</c>, … (relative to the server's base URI).</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? "api/" + Version : $"apis/{Group}/{Version}";
        return string.IsNullOrEmpty(ns) ? $"{root}/{Resource}" : $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Resource}";
    }

    public string ItemPath(string? ns, string name) => CollectionPath(ns) + "/" + Uri.EscapeDataString(name);

    /// <summary>The resource of a built-in KubernetesClient model, from its <see cref="KubernetesEntityAttribute"/>.</summary>
    public static GroupVersionResource Of<T>()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no KubernetesEntity attribute");
        return new GroupVersionResource(entity.Group ?? string.Empty, entity.ApiVersion, entity.PluralName);
    }

    public override string ToString() => Group.Length == 0 ? $"{Resource}.{Version}" : $"{Resource}.{Version}.{Group}";
}
