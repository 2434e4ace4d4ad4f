namespace K8sSharp.ControllerManager.Jobs;

/// <summary>The well-known names the Job controller reads and writes (upstream k8s.io/api/batch/v1 constants).</summary>
internal static class JobKeys
{
    /// <summary>On every pod the controller creates; removed once the pod's outcome is counted in the Job status.</summary>
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";

    /// <summary>Annotation and label carrying an Indexed Job pod's completion index.</summary>
    public const string CompletionIndex = "batch.kubernetes.io/job-completion-index";

    /// <summary>Counted failures of earlier pods of the same index (backoffLimitPerIndex).</summary>
    public const string IndexFailureCount = "batch.kubernetes.io/job-index-failure-count";

    /// <summary>Failures of earlier pods of the same index that a podFailurePolicy Ignore rule matched.</summary>
    public const string IndexIgnoredFailureCount = "batch.kubernetes.io/job-index-ignored-failure-count";

    public const string CompletionIndexEnv = "JOB_COMPLETION_INDEX";

    /// <summary>spec.managedBy value meaning "this controller"; any other value belongs to an external controller.</summary>
    public const string ManagedByThisController = "kubernetes.io/job-controller";

    /// <summary>Upstream MaxUncountedPods: at most this many UIDs in status.uncountedTerminatedPods per sync.</summary>
    public const int MaxUncountedPods = 500;

    /// <summary>Upstream MaxPodCreateDeletePerSync.</summary>
    public const int MaxPodCreateDeletePerSync = 500;

    public static readonly TimeSpan DefaultPodFailureBackoff = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxPodFailureBackoff = TimeSpan.FromMinutes(10);
}
