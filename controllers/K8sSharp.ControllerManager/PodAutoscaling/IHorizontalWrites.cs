using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// The HPA controller's calls to the API server (the process edge; upstream's scale client and HPA status writes).
/// A target is addressed by its scaleTargetRef; failures throw what the client threw.
/// </summary>
internal interface IHorizontalWrites
{
    Task<V1Scale> GetScaleAsync(ScaleTarget target, CancellationToken cancellationToken);

    Task UpdateScaleAsync(ScaleTarget target, V1Scale scale, CancellationToken cancellationToken);

    Task UpdateStatusAsync(V2HorizontalPodAutoscaler hpa, CancellationToken cancellationToken);
}

/// <summary>A scaleTargetRef resolved to its group, kind, namespace and name.</summary>
internal sealed record ScaleTarget(string Group, string Kind, string Namespace, string Name)
{
    /// <summary>The targets with a /scale subresource the controller knows (upstream asks the RESTMapper).</summary>
    public bool IsKnown => (Group, Kind) is ("apps", "Deployment") or ("apps", "ReplicaSet") or ("apps", "StatefulSet") or ("", "ReplicationController");

    /// <summary>
    /// The group of <c>apiVersion</c> (<c>apps/v1</c> → apps, <c>v1</c> → the core group); null when it does not
    /// parse, as schema.ParseGroupVersion fails on more than one slash.
    /// </summary>
    public static string? GroupOf(string? apiVersion)
    {
        var parts = (apiVersion ?? string.Empty).Split('/');
        return parts.Length switch
        {
            1 => string.Empty,
            2 => parts[0],
            _ => null,
        };
    }
}

/// <summary><see cref="IHorizontalWrites"/> over the API server, through the typed scale subresources.</summary>
internal sealed class KubernetesHorizontalWrites(IKubernetes client) : IHorizontalWrites
{
    public Task<V1Scale> GetScaleAsync(ScaleTarget target, CancellationToken cancellationToken) => target.Kind switch
    {
        "Deployment" => client.AppsV1.ReadNamespacedDeploymentScaleAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
        "ReplicaSet" => client.AppsV1.ReadNamespacedReplicaSetScaleAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
        "StatefulSet" => client.AppsV1.ReadNamespacedStatefulSetScaleAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
        "ReplicationController" => client.CoreV1.ReadNamespacedReplicationControllerScaleAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
        _ => throw new NotSupportedException(target.Kind),
    };

    public Task UpdateScaleAsync(ScaleTarget target, V1Scale scale, CancellationToken cancellationToken) => target.Kind switch
    {
        "Deployment" => client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, target.Name, target.Namespace, cancellationToken: cancellationToken),
        "ReplicaSet" => client.AppsV1.ReplaceNamespacedReplicaSetScaleAsync(scale, target.Name, target.Namespace, cancellationToken: cancellationToken),
        "StatefulSet" => client.AppsV1.ReplaceNamespacedStatefulSetScaleAsync(scale, target.Name, target.Namespace, cancellationToken: cancellationToken),
        "ReplicationController" => client.CoreV1.ReplaceNamespacedReplicationControllerScaleAsync(scale, target.Name, target.Namespace, cancellationToken: cancellationToken),
        _ => throw new NotSupportedException(target.Kind),
    };

    public Task UpdateStatusAsync(V2HorizontalPodAutoscaler hpa, CancellationToken cancellationToken) =>
        client.AutoscalingV2.ReplaceNamespacedHorizontalPodAutoscalerStatusAsync(hpa, hpa.Metadata.Name, hpa.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken);
}
