using System.Text.Json.Nodes;
using K8sSharp.Api.Schema;

namespace K8sSharp.ApiServer.Registry.Conversion;

/// <summary>
/// Converts between the version a resource is served in and the version its objects are stored in, for
/// resources that several versions or groups serve from one storage (upstream's storage versions): an object
/// written through one is readable through the others.
/// </summary>
internal interface IStorageConverter
{
    JsonObject ToStorage(JsonObject served);

    JsonObject FromStorage(JsonObject stored);
}

/// <summary>Where a resource's objects live and in which shape.</summary>
/// <param name="StorageResource">The resource whose storage keys hold the objects.</param>
/// <param name="Converter">Null when objects are stored as served.</param>
internal sealed record StorageLayout(ApiResource StorageResource, IStorageConverter? Converter)
{
    /// <summary>
    /// events.k8s.io/v1 Events are stored as core/v1 Events and autoscaling/v1 HorizontalPodAutoscalers as
    /// autoscaling/v2 ones, as kube-apiserver does; everything else is stored as served.
    /// </summary>
    public static StorageLayout For(ApiResource resource, ApiCatalog catalog) => (resource.Group, resource.Version, resource.Name) switch
    {
        ("events.k8s.io", "v1", "events") => new(catalog.Find("", "v1", "events")!, new EventConverter()),
        ("autoscaling", "v1", "horizontalpodautoscalers") => new(resource, new HorizontalPodAutoscalerV1Converter()),
        _ => new(resource, null),
    };
}
