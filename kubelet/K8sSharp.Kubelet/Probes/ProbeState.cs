using k8s.Models;

namespace K8sSharp.Kubelet.Probes;

internal enum ProbeKind
{
    Liveness,
    Readiness,
    Startup,
}

/// <summary>
/// The result bookkeeping of one probe of one container (pkg/kubelet/prober/worker.go): the published result
/// changes only after <c>successThreshold</c> consecutive successes or <c>failureThreshold</c> consecutive failures.
/// Before its first decision a readiness probe reports not ready, liveness and startup report "not failed" (the
/// container keeps running) and startup reports "not started". Defaults as the API: period 10 s, timeout 1 s,
/// success 1, failure 3.
/// </summary>
internal sealed class ProbeState
{
    private bool? lastRaw;
    private int run;

    public ProbeState(V1Probe probe, ProbeKind kind)
    {
        ArgumentNullException.ThrowIfNull(probe);
        Kind = kind;
        SuccessThreshold = Math.Max(1, probe.SuccessThreshold ?? 1);
        FailureThreshold = Math.Max(1, probe.FailureThreshold ?? 3);
        Period = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10));
        Timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        InitialDelay = TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0));
        Success = kind == ProbeKind.Liveness;
    }

    public ProbeKind Kind { get; }

    public int SuccessThreshold { get; }

    public int FailureThreshold { get; }

    public TimeSpan Period { get; }

    public TimeSpan Timeout { get; }

    public TimeSpan InitialDelay { get; }

    /// <summary>The published result: ready / alive / started.</summary>
    public bool Success { get; private set; }

    /// <summary>True once the threshold decided a failure (liveness/startup: the container must be restarted).</summary>
    public bool Failed { get; private set; }

    /// <summary>Records one probe outcome; returns true when the published result changed.</summary>
    public bool Record(bool success)
    {
        if (lastRaw == success)
        {
            run++;
        }
        else
        {
            lastRaw = success;
            run = 1;
        }
        var threshold = success ? SuccessThreshold : FailureThreshold;
        if (run < threshold)
        {
            return false;
        }
        var changed = Success != success || Failed == success;
        Success = success;
        Failed = !success;
        return changed;
    }
}
