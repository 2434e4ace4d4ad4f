using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Events;

namespace K8sSharp.Scheduler.Scheduling;

/// <summary>The scheduler's writes over the wire protocol (KubernetesClient), events through the shared <see cref="EventRecorder"/>.</summary>
internal sealed class KubernetesSchedulerApi(IKubernetes client, EventRecorder events) : ISchedulerApi
{
    public const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";

    public Task BindAsync(V1Pod pod, string node, CancellationToken cancellationToken)
    {
        var binding = new V1Binding
        {
            ApiVersion = "v1",
            Kind = "Binding",
            Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid },
            Target = new V1ObjectReference { Kind = "Node", Name = node, ApiVersion = "v1" },
        };
        return client.CoreV1.CreateNamespacedPodBindingAsync(binding, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task UpdateStatusAsync(V1Pod pod, V1PodCondition condition, string? nominatedNode, CancellationToken cancellationToken)
    {
        var status = new JsonObject { ["conditions"] = new JsonArray(Condition(condition)) };
        if (nominatedNode is not null)
        {
            status["nominatedNodeName"] = nominatedNode.Length == 0 ? null : nominatedNode;
        }
        return PatchStatusAsync(pod, status, cancellationToken);
    }

    public Task ClearNominatedNodeAsync(V1Pod pod, CancellationToken cancellationToken) =>
        PatchStatusAsync(pod, new JsonObject { ["nominatedNodeName"] = null }, cancellationToken);

    public async Task PreemptAsync(V1Pod victim, V1PodCondition disruption, CancellationToken cancellationToken)
    {
        await PatchStatusAsync(victim, new JsonObject { ["conditions"] = new JsonArray(Condition(disruption)) }, cancellationToken);
        await client.CoreV1.DeleteNamespacedPodAsync(victim.Metadata.Name, victim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task SelectNodeForClaimAsync(V1PersistentVolumeClaim claim, string node, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SelectedNodeAnnotation] = node } } };
        return client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public void Event(V1Pod pod, string type, string reason, string message) => events.Event(pod, type, reason, message);

    /// <summary>A strategic merge patch of pods/status: conditions merge by type, so only the given ones change.</summary>
    private Task<V1Pod> PatchStatusAsync(V1Pod pod, JsonObject status, CancellationToken cancellationToken) =>
        client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.StrategicMergePatch),
            pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    private static JsonNode Condition(V1PodCondition condition) =>
        JsonNode.Parse(KubernetesJson.Serialize(condition)) ?? throw new JsonException("condition did not serialize");
}
