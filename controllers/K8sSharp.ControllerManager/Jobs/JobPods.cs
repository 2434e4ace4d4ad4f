using System.Globalization;
using k8s.Models;
using K8sSharp.ControllerManager.ReplicaSets;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>Pod predicates of the Job controller (upstream job_controller.go, indexed_job_utils.go, backoff_utils.go).</summary>
internal static class JobPods
{
    public const int UnknownIndex = -1;

    public static bool HasTrackingFinalizer(V1Pod pod) => pod.Metadata.Finalizers?.Contains(JobKeys.TrackingFinalizer) == true;

    public static bool IsSucceeded(V1Pod pod) => pod.Status?.Phase == "Succeeded";

    /// <summary>
    /// Failed, or (unless only failed pods are replaced) deleted before it finished: an orphan deleted before it
    /// could reach the Failed phase still counts as a failure (upstream isPodFailed).
    /// </summary>
    public static bool IsFailed(V1Pod pod, V1Job job) =>
        pod.Status?.Phase == "Failed"
        || (!OnlyReplaceFailedPods(job) && pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase != "Succeeded");

    /// <summary>Being deleted but not finished (upstream CountTerminatingPods).</summary>
    public static bool IsTerminating(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    /// <summary>podReplacementPolicy Failed (the default when a podFailurePolicy is set): terminating pods are not replaced.</summary>
    public static bool OnlyReplaceFailedPods(V1Job job) =>
        job.Spec.PodReplacementPolicy == "Failed" || job.Spec.PodFailurePolicy is not null;

    public static int CompletionIndex(V1Pod pod)
    {
        var text = Annotation(pod, JobKeys.CompletionIndex);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : UnknownIndex;
    }

    private static string? Annotation(V1Pod pod, string name) =>
        pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(name, out var value) ? value : null;

    /// <summary>A completion index within [0, completions).</summary>
    public static bool HasValidIndex(V1Pod pod, int completions) => CompletionIndex(pod) is var i && i != UnknownIndex && i < completions;

    public static int AnnotationCount(V1Pod pod, string annotation) =>
        int.TryParse(Annotation(pod, annotation), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>
    /// When the pod finished (upstream getFinishedTime): the latest container finish if all finished, else the time
    /// Ready turned False, else the deletion time minus the grace period, else its creation.
    /// </summary>
    public static DateTimeOffset FinishedTime(V1Pod pod)
    {
        var statuses = pod.Status?.ContainerStatuses;
        if (statuses is { Count: > 0 } && statuses.All(s => s.State?.Terminated?.FinishedAt is not null))
        {
            return Utc(statuses.Max(s => s.State.Terminated.FinishedAt!.Value));
        }
        if (Pods.ReadyCondition(pod) is { Status: "False", LastTransitionTime: { } readyFalse })
        {
            return Utc(readyFalse);
        }
        if (pod.Metadata.DeletionTimestamp is { } deleted)
        {
            return Utc(deleted).AddSeconds(-(pod.Metadata.DeletionGracePeriodSeconds ?? 0));
        }
        return Utc(pod.Metadata.CreationTimestamp ?? DateTime.UnixEpoch);
    }

    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
