namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>
/// Settings of the HPA controller, upstream's kube-controller-manager flags and defaults:
/// <c>--horizontal-pod-autoscaler-sync-period</c> (how often every HPA is reconciled),
/// <c>-downscale-stabilization</c> (the scale-down window when no behavior says otherwise), <c>-tolerance</c>
/// (a usage ratio within 1 ± tolerance changes nothing), <c>-cpu-initialization-period</c> and
/// <c>-initial-readiness-delay</c> (when a starting pod's CPU sample is not trusted yet).
/// </summary>
internal sealed record HorizontalOptions
{
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan DownscaleStabilization { get; init; } = TimeSpan.FromMinutes(5);

    public double Tolerance { get; init; } = 0.1;

    public TimeSpan CpuInitializationPeriod { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitialReadinessDelay { get; init; } = TimeSpan.FromSeconds(30);
}
