using k8s.Models;

namespace K8sSharp.Scheduler.Scheduling;

/// <summary>
/// Everything the scheduler writes to the API server (its only process edge besides the informers): bindings, pod
/// status, victim deletion, claim annotations and events. Production goes through KubernetesClient
/// (<see cref="KubernetesSchedulerApi"/>); unit tests record the calls.
/// </summary>
internal interface ISchedulerApi
{
    /// <summary>POST pods/binding (v1 Binding); throws on failure.</summary>
    Task BindAsync(V1Pod pod, string node, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the PodScheduled condition and, when <paramref name="nominatedNode"/> is not null, status.nominatedNodeName
    /// ("" clears it).
    /// </summary>
    Task UpdateStatusAsync(V1Pod pod, V1PodCondition condition, string? nominatedNode, CancellationToken cancellationToken);

    /// <summary>Clears status.nominatedNodeName (a lower-priority pod whose nominated node a preemptor takes).</summary>
    Task ClearNominatedNodeAsync(V1Pod pod, CancellationToken cancellationToken);

    /// <summary>Marks a victim with the DisruptionTarget condition and deletes it (upstream's PreemptPod).</summary>
    Task PreemptAsync(V1Pod victim, V1PodCondition disruption, CancellationToken cancellationToken);

    /// <summary>Sets volume.kubernetes.io/selected-node on a WaitForFirstConsumer claim.</summary>
    Task SelectNodeForClaimAsync(V1PersistentVolumeClaim claim, string node, CancellationToken cancellationToken);

    void Event(V1Pod pod, string type, string reason, string message);
}
