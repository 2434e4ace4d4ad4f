using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using K8sSharp.ControllerManager.Jobs;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.TtlAfterFinished;

/// <summary>
/// Deletes finished Jobs <c>spec.ttlSecondsAfterFinished</c> seconds after they finished (upstream
/// pkg/controller/ttlafterfinished). Keys are <c>namespace/name</c> of Jobs; a Job not yet expired is requeued for
/// its expiry. Before deleting, the Job is read fresh from the API server (the TTL may have been changed) and the
/// delete is guarded by its uid. Propagation is Background: the pods go with the Job without the Job waiting for
/// them (upstream uses Foreground, which needs the garbage collector to finish).
/// </summary>
internal sealed partial class TtlAfterFinishedController : QueuedController
{
    private readonly IKubernetes client;
    private Lister<V1Job> jobs = null!;

    public TtlAfterFinishedController(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        this.client = client;
    }

    public override string Name => "ttl-after-finished";

    public override void Register(SharedInformerFactory informers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var informer = informers.GetOrAdd(() => ListWatchers.For<V1Job>(client));
        jobs = informer.Lister;
        informer.AddEventHandler(new ResourceEventHandler<V1Job>
        {
            OnAdd = EnqueueIfNeedsCleanup,
            OnUpdate = (_, job) => EnqueueIfNeedsCleanup(job),
        });
    }

    private void EnqueueIfNeedsCleanup(V1Job job)
    {
        if (NeedsCleanup(job))
        {
            Queue.Add(ObjectKeys.For(job));
        }
    }

    public override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (jobs.Get(ns, name) is not { } cached || !NeedsCleanup(cached))
        {
            return;
        }
        if (TimeLeft(cached) is { } left && left > TimeSpan.Zero)
        {
            Queue.AddAfter(key, left);
            return;
        }
        V1Job fresh;
        try
        {
            fresh = await client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return;
        }
        if (!NeedsCleanup(fresh))
        {
            return;
        }
        if (TimeLeft(fresh) is { } freshLeft && freshLeft > TimeSpan.Zero)
        {
            Queue.AddAfter(key, freshLeft);
            return;
        }
        LogDeleting(Logger, key);
        var options = new V1DeleteOptions { PropagationPolicy = "Background", Preconditions = new V1Preconditions { Uid = fresh.Metadata.Uid } };
        try
        {
            await client.BatchV1.DeleteNamespacedJobAsync(name, ns, options, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // Someone else was faster.
        }
    }

    /// <summary>A TTL is set and the Job finished (Complete or Failed).</summary>
    internal static bool NeedsCleanup(V1Job job) => job.Spec.TtlSecondsAfterFinished is not null && JobConditions.IsFinished(job);

    /// <summary>Time until the Job expires: finish time (its Complete/Failed condition's transition) plus the TTL.</summary>
    private TimeSpan? TimeLeft(V1Job job)
    {
        var finished = job.Status?.Conditions?.FirstOrDefault(c => c.Type is JobConditions.Complete or JobConditions.Failed && c.Status == "True");
        if (finished?.LastTransitionTime is not { } at || job.Spec.TtlSecondsAfterFinished is not { } ttl)
        {
            return null;
        }
        return JobPods.Utc(at).AddSeconds(ttl) - Time.GetUtcNow();
    }

    [LoggerMessage(EventId = 5821, Level = LogLevel.Information, Message = "{Job}: TTL after finished expired; deleting")]
    private static partial void LogDeleting(ILogger logger, string job);
}
