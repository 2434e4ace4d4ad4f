using k8s.Models;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>
/// Every write the Job controller makes to the API server (the process edge; upstream's podControl plus the Job
/// status client). Reads come from listers. Implementations throw on failure; a pod that is already gone is not a
/// failure for <see cref="DeletePodAsync"/> and <see cref="RemoveTrackingFinalizerAsync"/>.
/// </summary>
internal interface IJobWrites
{
    Task<V1Pod> CreatePodAsync(V1Pod pod, CancellationToken cancellationToken);

    Task DeletePodAsync(V1Pod pod, CancellationToken cancellationToken);

    /// <summary>Removes <see cref="JobKeys.TrackingFinalizer"/> from the pod, leaving other finalizers alone.</summary>
    Task RemoveTrackingFinalizerAsync(V1Pod pod, CancellationToken cancellationToken);

    /// <summary>Replaces the pod's ownerReferences and finalizers (adoption and release), guarded by its uid.</summary>
    Task PatchPodOwnershipAsync(V1Pod pod, IList<V1OwnerReference> owners, IList<string>? finalizers, CancellationToken cancellationToken);

    /// <summary>PUT of the status subresource (a stale resourceVersion fails with 409 and the sync is retried).</summary>
    Task<V1Job> UpdateStatusAsync(V1Job job, CancellationToken cancellationToken);
}
