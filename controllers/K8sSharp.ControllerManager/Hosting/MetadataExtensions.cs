using k8s.Models;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>Reads of labels that may be absent altogether.</summary>
internal static class MetadataExtensions
{
    /// <summary>The label's value, or null when the object has no such label (or no labels).</summary>
    public static string? Label(this V1ObjectMeta metadata, string key) =>
        metadata?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;
}
