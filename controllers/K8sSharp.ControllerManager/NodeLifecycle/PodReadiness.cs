using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.Hosting;

namespace K8sSharp.ControllerManager.NodeLifecycle;

/// <summary>
/// Upstream controller_utils MarkPodsNotReady: the pods bound to a Node that is not Ready get their Ready condition set
/// to False (its lastTransitionTime now), so that endpoints stop sending traffic there, and a Warning event
/// NodeNotReady "Node is not ready". Only an existing Ready condition is changed; pods already not ready cost nothing.
/// </summary>
internal static class PodReadiness
{
    public static bool NeedsMarking(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { Status: not "False" };

    /// <summary>The pod's conditions with Ready set to False at <paramref name="now"/>, as a merge patch of the status.</summary>
    public static JsonObject NotReadyPatch(V1Pod pod, DateTimeOffset now)
    {
        var conditions = new JsonArray();
        foreach (var condition in pod.Status.Conditions)
        {
            var node = JsonNode.Parse(KubernetesJson.Serialize(condition))!.AsObject();
            if (condition.Type == "Ready")
            {
                node["status"] = "False";
                node["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            }
            conditions.Add(node);
        }
        return new JsonObject
        {
            // The resourceVersion makes a concurrent status write a conflict instead of being overwritten.
            ["metadata"] = new JsonObject { ["resourceVersion"] = pod.Metadata.ResourceVersion },
            ["status"] = new JsonObject { ["conditions"] = conditions },
        };
    }

    public static async Task MarkNotReadyAsync(IKubernetes client, IEventRecorder events, IEnumerable<V1Pod> pods, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var pod in pods.Where(NeedsMarking))
        {
            try
            {
                var patch = new V1Patch(NotReadyPatch(pod, now).ToJsonString(), V1Patch.PatchType.MergePatch);
                await client.CoreV1.PatchNamespacedPodStatusAsync(patch, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                events.Event(pod, EventTypes.Warning, "NodeNotReady", "Node is not ready");
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                // the pod is gone
            }
        }
    }
}
