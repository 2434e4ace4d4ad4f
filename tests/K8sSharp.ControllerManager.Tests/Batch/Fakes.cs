using System.Globalization;
using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.ControllerManager.CronJobs;
using K8sSharp.ControllerManager.Jobs;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests.Batch;

/// <summary>Events a controller recorded, as "Type Reason: message".</summary>
internal sealed class RecordingEvents : IEventRecorder
{
    public List<string> Recorded { get; } = [];

    public void Event(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message)
    {
        lock (Recorded)
        {
            Recorded.Add($"{type} {reason}: {message}");
        }
    }

    public IEnumerable<string> Reasons => Recorded.Select(e => e.Split(':')[0].Split(' ')[1]);
}

/// <summary>
/// The API server at the Job controller's process edge: writes land in preloaded indexers (the listers' caches) and
/// are reported to the controller's pod handlers as the informer would, synchronously. Pods get names, uids and
/// creation times as the server would give them; a deleted pod that still holds finalizers only gets a
/// deletionTimestamp, as graceful deletion with finalizers does.
/// </summary>
internal sealed class FakeJobCluster : IJobWrites
{
    private int serial;

    public FakeJobCluster(FakeTimeProvider time)
    {
        Time = time;
        Controller = new JobController(this, Events, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Controller.UseListers(new Lister<V1Job>(Jobs), new Lister<V1Pod>(Pods));
    }

    public FakeTimeProvider Time { get; }

    public JobController Controller { get; }

    public RecordingEvents Events { get; } = new();

    public Indexer<V1Job> Jobs { get; } = new();

    public Indexer<V1Pod> Pods { get; } = new();

    public List<V1Pod> Created { get; } = [];

    public List<string> Deleted { get; } = [];

    public List<string> FinalizersRemoved { get; } = [];

    public int StatusWrites { get; private set; }

    public V1Job Job(string name) => Jobs.Get("ns/" + name)!;

    public IEnumerable<V1Pod> LivePods => Pods.List().Where(p => p.Metadata.DeletionTimestamp is null);

    public V1Job Add(V1Job job)
    {
        job.Metadata.NamespaceProperty = "ns";
        job.Metadata.Uid ??= "uid-" + job.Metadata.Name;
        job.Metadata.CreationTimestamp ??= Time.GetUtcNow().UtcDateTime;
        job.Metadata.ResourceVersion = Next();
        job.Status ??= new V1JobStatus();
        Jobs.Upsert(job);
        return job;
    }

    public Task SyncAsync(string name) => Controller.ReconcileAsync("ns/" + name, CancellationToken.None);

    /// <summary>Syncs until a sync writes nothing more (bounded), as repeated watch events would.</summary>
    public async Task SettleAsync(string name)
    {
        for (var i = 0; i < 10; i++)
        {
            var writes = (StatusWrites, Created.Count, Deleted.Count, FinalizersRemoved.Count);
            await SyncAsync(name);
            if (writes == (StatusWrites, Created.Count, Deleted.Count, FinalizersRemoved.Count))
            {
                return;
            }
        }
    }

    /// <summary>What a kubelet would report: the pod finished with this phase and (if given) container exit code.</summary>
    public void Finish(V1Pod pod, string phase, int? exitCode = null)
    {
        var updated = Copy(Pods.Get(ObjectKeys.For(pod))!);
        updated.Status ??= new V1PodStatus();
        updated.Status.Phase = phase;
        if (exitCode is { } code)
        {
            updated.Status.ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "main", Image = "busybox", ImageID = "", Ready = false, RestartCount = 0,
                    State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = code, FinishedAt = Time.GetUtcNow().UtcDateTime } },
                },
            ];
        }
        Update(updated);
    }

    public Task<V1Pod> CreatePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var created = Copy(pod);
        var n = Interlocked.Increment(ref serial);
        created.Metadata.Name = created.Metadata.GenerateName + n.ToString("x5", CultureInfo.InvariantCulture);
        created.Metadata.Uid = "pod-uid-" + n.ToString(CultureInfo.InvariantCulture);
        created.Metadata.CreationTimestamp = Time.GetUtcNow().UtcDateTime;
        created.Metadata.ResourceVersion = Next();
        created.Status = new V1PodStatus { Phase = "Pending" };
        lock (Created)
        {
            Created.Add(created);
            Pods.Upsert(created);
        }
        Controller.OnPodAdded(created);
        return Task.FromResult(created);
    }

    public Task DeletePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        lock (Deleted)
        {
            Deleted.Add(pod.Metadata.Name);
        }
        if (Pods.Get(ObjectKeys.For(pod)) is not { } current)
        {
            return Task.CompletedTask;
        }
        var updated = Copy(current);
        updated.Metadata.DeletionTimestamp ??= Time.GetUtcNow().UtcDateTime;
        Update(updated);
        return Task.CompletedTask;
    }

    public Task RemoveTrackingFinalizerAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        if (Pods.Get(ObjectKeys.For(pod)) is not { } current || !JobPods.HasTrackingFinalizer(current))
        {
            return Task.CompletedTask;
        }
        lock (FinalizersRemoved)
        {
            FinalizersRemoved.Add(pod.Metadata.Name);
        }
        var updated = Copy(current);
        updated.Metadata.Finalizers = [.. updated.Metadata.Finalizers.Where(f => f != JobKeys.TrackingFinalizer)];
        Update(updated);
        return Task.CompletedTask;
    }

    public Task PatchPodOwnershipAsync(V1Pod pod, IList<V1OwnerReference> owners, IList<string>? finalizers, CancellationToken cancellationToken)
    {
        var updated = Copy(Pods.Get(ObjectKeys.For(pod))!);
        updated.Metadata.OwnerReferences = owners;
        updated.Metadata.Finalizers = finalizers ?? updated.Metadata.Finalizers;
        Update(updated);
        return Task.CompletedTask;
    }

    public Task<V1Job> UpdateStatusAsync(V1Job job, CancellationToken cancellationToken)
    {
        var stored = Copy(job);
        stored.Metadata.ResourceVersion = Next();
        StatusWrites++;
        Jobs.Upsert(stored);
        return Task.FromResult(Copy(stored));
    }

    /// <summary>Stores the new version and tells the controller, as a watch event would; gone once deleted without finalizers.</summary>
    private void Update(V1Pod updated)
    {
        var old = Pods.Get(ObjectKeys.For(updated))!;
        updated.Metadata.ResourceVersion = Next();
        if (updated.Metadata.DeletionTimestamp is not null && (updated.Metadata.Finalizers?.Count ?? 0) == 0)
        {
            Pods.Remove(ObjectKeys.For(updated));
            Controller.OnPodDeleted(updated);
            return;
        }
        Pods.Upsert(updated);
        Controller.OnPodUpdated(old, updated);
    }

    private string Next() => Interlocked.Increment(ref serial).ToString(CultureInfo.InvariantCulture);

    internal static T Copy<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}

/// <summary>The API server at the CronJob controller's edge: Jobs and CronJobs in preloaded indexers, writes recorded.</summary>
internal sealed class FakeCronJobCluster : ICronJobWrites
{
    public FakeCronJobCluster(FakeTimeProvider time)
    {
        Time = time;
        Controller = new CronJobController(this, Events, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Controller.UseListers(new Lister<V1CronJob>(CronJobs), new Lister<V1Job>(Jobs));
    }

    public FakeTimeProvider Time { get; }

    public CronJobController Controller { get; }

    public RecordingEvents Events { get; } = new();

    public Indexer<V1CronJob> CronJobs { get; } = new();

    public Indexer<V1Job> Jobs { get; } = new();

    public List<string> CreatedJobs { get; } = [];

    public List<string> DeletedJobs { get; } = [];

    public V1CronJob CronJob(string name) => CronJobs.Get("ns/" + name)!;

    public V1CronJob Add(V1CronJob cronJob)
    {
        cronJob.Metadata.NamespaceProperty = "ns";
        cronJob.Metadata.Uid ??= "uid-" + cronJob.Metadata.Name;
        cronJob.Metadata.CreationTimestamp ??= Time.GetUtcNow().UtcDateTime;
        CronJobs.Upsert(cronJob);
        return cronJob;
    }

    public Task SyncAsync(string name) => Controller.ReconcileAsync("ns/" + name, CancellationToken.None);

    /// <summary>Marks a Job finished, as the Job controller would: Complete (with completionTime) or Failed.</summary>
    public void Finish(string jobName, bool succeeded)
    {
        var job = FakeJobCluster.Copy(Jobs.Get("ns/" + jobName)!);
        var now = Time.GetUtcNow();
        job.Status ??= new V1JobStatus();
        job.Status.Conditions = [JobConditions.New(succeeded ? JobConditions.Complete : JobConditions.Failed, "", "", now)];
        job.Status.CompletionTime = succeeded ? JobController.Seconds(now) : null;
        Jobs.Upsert(job);
    }

    public Task<V1Job> CreateJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        var created = FakeJobCluster.Copy(job);
        created.Metadata.Uid = "job-uid-" + job.Metadata.Name;
        created.Metadata.CreationTimestamp = Time.GetUtcNow().UtcDateTime;
        created.Status = new V1JobStatus { StartTime = Time.GetUtcNow().UtcDateTime };
        CreatedJobs.Add(created.Metadata.Name);
        Jobs.Upsert(created);
        return Task.FromResult(created);
    }

    public Task<V1Job?> GetJobAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Jobs.Get(ns + "/" + name));

    public Task DeleteJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        DeletedJobs.Add(job.Metadata.Name);
        Jobs.Remove(ObjectKeys.For(job));
        return Task.CompletedTask;
    }

    public Task<V1CronJob> UpdateStatusAsync(V1CronJob cronJob, CancellationToken cancellationToken)
    {
        CronJobs.Upsert(FakeJobCluster.Copy(cronJob));
        return Task.FromResult(cronJob);
    }

    /// <summary>Jobs the fake holds that the CronJob controls.</summary>
    public IEnumerable<V1Job> OwnedJobs(string cronJobName) =>
        Jobs.List().Where(j => Pods.ControllerOf(j.Metadata)?.Uid == "uid-" + cronJobName);
}
