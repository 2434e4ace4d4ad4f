using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace K8sSharp.Client.Dynamic;

/// <summary>
/// Any object seen through its metadata only (meta.k8s.io/v1 PartialObjectMetadata): what the garbage collector and the
/// namespace controller need of resources they know nothing else about. Deserialises from full objects too, keeping
/// their apiVersion and kind.
/// </summary>
public sealed class PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PartialObjectMetadata";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
