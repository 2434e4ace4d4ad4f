using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Events;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.ReplicaSets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.CronJobs;

/// <summary>
/// Creates Jobs on a cron schedule (upstream pkg/controller/cronjob, ControllerV2). Keys are <c>namespace/name</c>
/// of CronJobs; a sync creates at most the most recent missed Job, keeps status.active in step with the Jobs it owns,
/// trims finished Jobs to the history limits, and requeues itself for the next start through the work queue's
/// TimeProvider. Job events enqueue the owning CronJob. The sync is in CronJobController.Sync.cs.
/// </summary>
internal sealed partial class CronJobController : QueuedController
{
    private readonly ICronJobWrites writes;
    private readonly IEventRecorder events;
    private readonly IKubernetes? client;
    private Lister<V1CronJob> cronJobs = null!;
    private Lister<V1Job> jobs = null!;

    public CronJobController(ICronJobWrites writes, IEventRecorder events, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.writes = writes;
        this.events = events;
    }

    public CronJobController(IKubernetes client, IEventRecorder events, TimeProvider time, ILogger logger)
        : this(new KubernetesCronJobWrites(client), events, time, logger)
    {
        this.client = client;
    }

    public override string Name => "cronjob";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var api = client ?? throw new InvalidOperationException("Register needs the client constructor");
        var cronJobInformer = informers.GetOrAdd(() => ListWatchers.For<V1CronJob>(api));
        var jobInformer = informers.GetOrAdd(() => ListWatchers.For<V1Job>(api));
        UseListers(cronJobInformer.Lister, jobInformer.Lister);
        EnqueueOnEveryChange(cronJobInformer);
        jobInformer.AddEventHandler(new ResourceEventHandler<V1Job>
        {
            OnAdd = EnqueueOwner,
            OnUpdate = (old, job) =>
            {
                if (old.Metadata.ResourceVersion != job.Metadata.ResourceVersion)
                {
                    EnqueueOwner(old);
                    EnqueueOwner(job);
                }
            },
            OnDelete = EnqueueOwner,
        });
    }

    /// <summary>The caches the sync reads; tests pass listers over preloaded indexers.</summary>
    internal void UseListers(Lister<V1CronJob> cronJobLister, Lister<V1Job> jobLister)
    {
        cronJobs = cronJobLister;
        jobs = jobLister;
    }

    private void EnqueueOwner(V1Job job)
    {
        if (ControllerRefs.ControllerOf(cronJobs, job.Metadata, "CronJob", "batch") is { } cronJob)
        {
            Queue.Add(ObjectKeys.For(cronJob));
        }
    }

    internal static V1OwnerReference OwnerReference(V1CronJob cronJob) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "CronJob",
        Name = cronJob.Metadata.Name,
        Uid = cronJob.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
