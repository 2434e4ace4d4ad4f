using Prometheus;

namespace K8sSharp.Scheduler.Scheduling;

/// <summary>
/// The scheduler's Prometheus metrics under upstream's names: scheduler_schedule_attempts_total{result,profile}
/// (result scheduled, unschedulable or error), scheduler_pending_pods{queue} (active, backoff, unschedulable, gated)
/// and scheduler_scheduling_attempt_duration_seconds{result,profile}. Served on /metrics.
/// </summary>
internal sealed class SchedulerMetrics
{
    public const string Scheduled = "scheduled";
    public const string Unschedulable = "unschedulable";
    public const string Error = "error";
    private const string Profile = "default-scheduler";

    private readonly Counter attempts;
    private readonly Gauge pending;
    private readonly Histogram duration;

    public SchedulerMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        attempts = factory.CreateCounter("scheduler_schedule_attempts_total",
            "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
            "result", "profile");
        pending = factory.CreateGauge("scheduler_pending_pods",
            "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods; 'gated' means number of gated pods.",
            "queue");
        duration = factory.CreateHistogram("scheduler_scheduling_attempt_duration_seconds",
            "Scheduling attempt latency in seconds (scheduling algorithm + binding)",
            new HistogramConfiguration { LabelNames = ["result", "profile"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        pending.WithLabels("gated").Set(0);
    }

    public void Attempt(string result, TimeSpan elapsed)
    {
        attempts.WithLabels(result, Profile).Inc();
        duration.WithLabels(result, Profile).Observe(elapsed.TotalSeconds);
    }

    public double Attempts(string result) => attempts.WithLabels(result, Profile).Value;

    public void Pending(int active, int backoff, int unschedulable)
    {
        pending.WithLabels("active").Set(active);
        pending.WithLabels("backoff").Set(backoff);
        pending.WithLabels("unschedulable").Set(unschedulable);
    }
}
