using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Status;

/// <summary>
/// Writes pod statuses through the status subresource, only when they differ from what the API server holds
/// (pkg/kubelet/status/status_manager.go): read the pod, keep the conditions and fields others own, replace the rest,
/// PUT with the read resourceVersion, retry a conflict. Never writes to a pod with another uid (a namesake that
/// replaced it) and never moves a terminal phase back.
/// </summary>
internal sealed partial class StatusManager(IKubernetes client, ILogger logger)
{
    private readonly ConcurrentDictionary<string, string> lastWritten = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="status"/> for the pod unless nothing changed; returns the pod as stored.</summary>
    public async Task<V1Pod?> SetAsync(V1Pod pod, V1PodStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);
        var uid = pod.Metadata.Uid;
        var json = KubernetesJson.Serialize(status);
        if (lastWritten.TryGetValue(uid, out var last) && last == json && KubernetesJson.Serialize(pod.Status) == json)
        {
            return pod;
        }
        for (var attempt = 0; attempt < 3; attempt++)
        {
            V1Pod current;
            try
            {
                current = await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            if (current.Metadata.Uid != uid)
            {
                return null;
            }
            var merged = Merge(current.Status, status);
            if (KubernetesJson.Serialize(current.Status) == KubernetesJson.Serialize(merged))
            {
                lastWritten[uid] = json;
                return current;
            }
            current.Status = merged;
            try
            {
                var stored = await client.CoreV1.ReplaceNamespacedPodStatusAsync(current, current.Metadata.Name, current.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
                lastWritten[uid] = json;
                return stored;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                LogConflict(logger, pod.Metadata.Name);
            }
        }
        return null;
    }

    public void Forget(string uid) => lastWritten.TryRemove(uid, out _);

    /// <summary>The new status, with the conditions the kubelet does not own taken from the stored one, and a terminal phase kept.</summary>
    private static V1PodStatus Merge(V1PodStatus? stored, V1PodStatus computed)
    {
        var others = (stored?.Conditions ?? []).Where(c => !PodStatusBuilder.KubeletConditions.Contains(c.Type)).ToList();
        var mine = (computed.Conditions ?? []).Where(c => PodStatusBuilder.KubeletConditions.Contains(c.Type) || !others.Any(o => o.Type == c.Type));
        var merged = KubernetesJson.Deserialize<V1PodStatus>(KubernetesJson.Serialize(computed));
        merged.Conditions = [.. others, .. mine];
        merged.QosClass ??= stored?.QosClass;
        merged.NominatedNodeName ??= stored?.NominatedNodeName;
        if (stored?.Phase is "Succeeded" or "Failed")
        {
            merged.Phase = stored.Phase;
        }
        return merged;
    }

    [LoggerMessage(EventId = 6401, Level = LogLevel.Debug, Message = "status of {Pod} conflicted; retrying")]
    private static partial void LogConflict(ILogger logger, string pod);
}
