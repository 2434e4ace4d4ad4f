namespace K8sSharp.Client.LeaderElection;

/// <summary>
/// Settings of a <see cref="LeaderElector"/>; defaults are kube-controller-manager's (15 s lease, 10 s renew
/// deadline, 2 s retry period). Contract: <c>LeaseDuration &gt; RenewDeadline &gt; RetryPeriod</c>, so a leader gives
/// up before anybody else may consider its lease expired.
/// </summary>
public sealed record LeaderElectionConfig(string LeaseName, string Identity)
{
    public string Namespace { get; init; } = "kube-system";

    /// <summary>How long non-leaders wait, after last seeing the lease change, before taking it over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failing renewal before it steps down.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between acquire or renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancellation the leader empties the lease so a successor need not wait for it to expire.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    internal void Validate()
    {
        if (!(LeaseDuration > RenewDeadline && RenewDeadline > RetryPeriod && RetryPeriod > TimeSpan.Zero))
        {
            throw new ArgumentException("leader election needs LeaseDuration > RenewDeadline > RetryPeriod > 0");
        }
        ArgumentException.ThrowIfNullOrEmpty(LeaseName);
        ArgumentException.ThrowIfNullOrEmpty(Identity);
    }
}
