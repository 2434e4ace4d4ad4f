using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace K8sSharp.Client.Dynamic;

/// <summary>
/// The verbs controllers need on resources they only know by <see cref="GroupVersionResource"/> (client-go's metadata
/// and dynamic clients, reduced): get metadata, delete with options, delete a collection, list metadata, patch.
/// </summary>
public sealed class ResourceClient
{
    /// <summary>Ask for PartialObjectMetadata(List) and take the full object from servers that do not transform.</summary>
    public const string MetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
    public const string MetadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    private readonly Kubernetes client;

    public ResourceClient(IKubernetes client)
    {
        this.client = ApiRequests.RequireHttpClient(client);
    }

    public Kubernetes Client => client;

    /// <summary>The object's metadata, or null when it does not exist.</summary>
    public async Task<PartialObjectMetadata?> GetMetadataAsync(GroupVersionResource resource, string? ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            using var response = await ApiRequests.SendAsync(client, HttpMethod.Get, resource.ItemPath(ns, name), null, MetadataAccept,
                HttpCompletionOption.ResponseContentRead, cancellationToken);
            return KubernetesJson.Deserialize<PartialObjectMetadata>(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<PartialObjectMetadata>> ListMetadataAsync(GroupVersionResource resource, string? ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var response = await ApiRequests.SendAsync(client, HttpMethod.Get, resource.CollectionPath(ns), null, MetadataListAccept,
            HttpCompletionOption.ResponseContentRead, cancellationToken);
        var list = KubernetesJson.Deserialize<MetadataList>(await response.Content.ReadAsStringAsync(cancellationToken));
        return list.Items ?? [];
    }

    public async Task DeleteAsync(GroupVersionResource resource, string? ns, string name, V1DeleteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var body = ApiRequests.JsonBody(KubernetesJson.Serialize(options));
        using var response = await ApiRequests.SendAsync(client, HttpMethod.Delete, resource.ItemPath(ns, name), body, ApiRequests.Json,
            HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    public async Task DeleteCollectionAsync(GroupVersionResource resource, string ns, V1DeleteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var body = ApiRequests.JsonBody(KubernetesJson.Serialize(options));
        using var response = await ApiRequests.SendAsync(client, HttpMethod.Delete, resource.CollectionPath(ns), body, ApiRequests.Json,
            HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <param name="patchType">The patch media type, e.g. <c>application/merge-patch+json</c>.</param>
    public async Task PatchAsync(GroupVersionResource resource, string? ns, string name, string patchType, string patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var body = ApiRequests.JsonBody(patch, patchType);
        using var response = await ApiRequests.SendAsync(client, HttpMethod.Patch, resource.ItemPath(ns, name), body, ApiRequests.Json,
            HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    private sealed class MetadataList
    {
        [System.Text.Json.Serialization.JsonPropertyName("items")]
        public List<PartialObjectMetadata>? Items { get; set; }
    }
}
