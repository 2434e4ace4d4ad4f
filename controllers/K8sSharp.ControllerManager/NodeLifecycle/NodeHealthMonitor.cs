using k8s;
using k8s.Models;

namespace K8sSharp.ControllerManager.NodeLifecycle;

/// <summary>What one look at a Node concluded.</summary>
/// <param name="ObservedReady">The Ready status the Node carried when looked at (Unknown when it never had one).</param>
/// <param name="StatusUpdate">A copy of the Node with its conditions set to Unknown, to write; null when nothing is to be written.</param>
internal sealed record NodeAssessment(string ObservedReady, V1Node? StatusUpdate);

/// <summary>
/// Decides when a Node has gone silent (upstream Controller.tryUpdateNodeHealth). The controller's own clock counts:
/// a Node is heard from when its Ready condition's lastHeartbeatTime changes or its Lease in kube-node-lease is
/// renewed, and "probe time" is when this process noticed that. Silent for longer than the grace period (40s; 60s
/// from creation for a Node that never posted Ready), its Ready, MemoryPressure, DiskPressure and PIDPressure
/// conditions turn Unknown with reason NodeStatusUnknown ("Kubelet stopped posting node status."), or
/// NodeStatusNeverUpdated for conditions it never posted. Thread-safe; state lives as long as the process leads.
/// </summary>
internal sealed class NodeHealthMonitor
{
    private static readonly string[] MonitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];
    private readonly Lock gate = new();
    private readonly Dictionary<string, Health> health = new(StringComparer.Ordinal);
    private readonly TimeSpan gracePeriod;
    private readonly TimeSpan startupGracePeriod;

    public NodeHealthMonitor(TimeSpan gracePeriod, TimeSpan startupGracePeriod)
    {
        this.gracePeriod = gracePeriod;
        this.startupGracePeriod = startupGracePeriod;
    }

    public NodeAssessment Assess(V1Node node, V1Lease? lease, DateTimeOffset now)
    {
        var name = node.Metadata.Name;
        var ready = Ready(node);
        var created = Utc(node.Metadata.CreationTimestamp) ?? now;
        lock (gate)
        {
            health.TryGetValue(name, out var saved);
            var current = Observe(saved, ready, created, now);
            if (lease?.Spec?.RenewTime is { } renewed && (current.LeaseRenewTime is not { } seen || seen < renewed))
            {
                current = current with { LeaseRenewTime = renewed, ProbeTimestamp = now };
            }
            health[name] = current;
            var grace = ready is null ? startupGracePeriod : gracePeriod;
            var update = now > current.ProbeTimestamp + grace ? MarkUnknown(node, now) : null;
            return new NodeAssessment(ready?.Status ?? "Unknown", update);
        }
    }

    public void Forget(string nodeName)
    {
        lock (gate)
        {
            health.Remove(nodeName);
        }
    }

    /// <summary>
    /// The upstream cases: first sight or a Ready condition that appeared or vanished starts the clock now; a new
    /// heartbeat restarts it; no news keeps it. A Node that never posted Ready counts from its creation.
    /// </summary>
    private static Health Observe(Health? saved, V1NodeCondition? ready, DateTimeOffset created, DateTimeOffset now)
    {
        if (ready is null)
        {
            return saved is null ? new Health(null, created, null) : saved with { Ready = null };
        }
        if (saved?.Ready is null || saved.Ready.LastHeartbeatTime != ready.LastHeartbeatTime)
        {
            return new Health(Copy(ready), now, saved?.LeaseRenewTime);
        }
        return saved;
    }

    /// <summary>A copy of the Node with the monitored conditions Unknown; null when they already are (nothing to write).</summary>
    private static V1Node? MarkUnknown(V1Node node, DateTimeOffset now)
    {
        var copy = KubernetesJson.Deserialize<V1Node>(KubernetesJson.Serialize(node));
        copy.Status ??= new V1NodeStatus();
        copy.Status.Conditions ??= [];
        var stamp = now.UtcDateTime;
        var changed = false;
        foreach (var type in MonitoredConditions)
        {
            var condition = copy.Status.Conditions.FirstOrDefault(c => c.Type == type);
            if (condition is null)
            {
                copy.Status.Conditions.Add(new V1NodeCondition
                {
                    Type = type, Status = "Unknown", Reason = "NodeStatusNeverUpdated", Message = "Kubelet never posted node status.",
                    LastHeartbeatTime = node.Metadata.CreationTimestamp, LastTransitionTime = stamp,
                });
                changed = true;
            }
            else if (condition.Status != "Unknown")
            {
                condition.Status = "Unknown";
                condition.Reason = "NodeStatusUnknown";
                condition.Message = "Kubelet stopped posting node status.";
                condition.LastTransitionTime = stamp;
                changed = true;
            }
        }
        return changed ? copy : null;
    }

    public static V1NodeCondition? Ready(V1Node node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    private static V1NodeCondition? Copy(V1NodeCondition? c) => c is null ? null : new V1NodeCondition
    {
        Type = c.Type, Status = c.Status, LastHeartbeatTime = c.LastHeartbeatTime, LastTransitionTime = c.LastTransitionTime,
    };

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private sealed record Health(V1NodeCondition? Ready, DateTimeOffset ProbeTimestamp, DateTime? LeaseRenewTime);
}
