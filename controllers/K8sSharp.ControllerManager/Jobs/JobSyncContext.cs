using k8s.Models;

namespace K8sSharp.ControllerManager.Jobs;

/// <summary>What one sync of a Job works from and accumulates (upstream syncJobCtx). <see cref="Job"/> is a private copy.</summary>
internal sealed class JobSyncContext
{
    public JobSyncContext(string key, V1Job job, List<V1Pod> pods, IReadOnlySet<string> expectedRemovedFinalizers)
    {
        Key = key;
        Job = job;
        Pods = pods;
        Active = [.. pods.Where(ReplicaSets.Pods.IsActive)];
        Ready = Active.Count(ReplicaSets.Pods.IsReady);
        Terminating = pods.Count(JobPods.IsTerminating);
        var uncounted = job.Status.UncountedTerminatedPods;
        UncountedSucceeded = new HashSet<string>(uncounted?.Succeeded ?? [], StringComparer.Ordinal);
        UncountedFailed = new HashSet<string>(uncounted?.Failed ?? [], StringComparer.Ordinal);
        ExpectedRemovedFinalizers = expectedRemovedFinalizers;
    }

    public string Key { get; }

    public V1Job Job { get; set; }

    /// <summary>Every pod the Job owns, finished ones included.</summary>
    public List<V1Pod> Pods { get; }

    public List<V1Pod> Active { get; }

    public int Ready { get; set; }

    public int Terminating { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    public HashSet<string> UncountedSucceeded { get; }

    public HashSet<string> UncountedFailed { get; }

    public IReadOnlySet<string> ExpectedRemovedFinalizers { get; }

    /// <summary>The condition the Job is heading for (FailureTarget/Failed, SuccessCriteriaMet/Complete), if any.</summary>
    public V1JobCondition? Finished { get; set; }

    public BackoffRecord NewBackoff { get; set; } = BackoffRecord.None;

    public IndexSet PrevSucceededIndexes { get; set; } = new();

    public IndexSet SucceededIndexes { get; set; } = new();

    /// <summary>Only with backoffLimitPerIndex.</summary>
    public IndexSet? FailedIndexes { get; set; }

    /// <summary>backoffLimitPerIndex: per pending index, its latest failed pod (whose counts the replacement inherits).</summary>
    public Dictionary<int, V1Pod> LastFailed { get; set; } = [];

    /// <summary>backoffLimitPerIndex: per index, the failed pod whose finalizer stays until its replacement exists.</summary>
    public Dictionary<int, V1Pod> DelayedDeletion { get; set; } = [];

    public bool IsIndexed => Job.Spec.CompletionMode == "Indexed";

    public bool HasBackoffLimitPerIndex => IsIndexed && Job.Spec.BackoffLimitPerIndex is not null;

    public int Completions => Job.Spec.Completions ?? 0;

    public bool Suspended => Job.Spec.Suspend == true;

    /// <summary>Not yet processed: still has the tracking finalizer and we did not remove it already.</summary>
    public bool IsUnprocessed(V1Pod pod) => JobPods.HasTrackingFinalizer(pod) && !ExpectedRemovedFinalizers.Contains(pod.Metadata.Uid);
}
