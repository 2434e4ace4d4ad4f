using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Client.LeaderElection;

/// <summary>
/// Leader election over a coordination.k8s.io/v1 Lease (client-go's tools/leaderelection with the Lease lock).
/// Candidates poll the lease every retry period; one whose holder has not been seen to change for a lease duration
/// (measured on this process's clock, so clocks need not agree) takes it over. Writes are optimistic: a 409 from a
/// concurrent writer simply loses that round. The leader renews every retry period and steps down when it cannot
/// renew within the renew deadline. <see cref="RunAsync"/> returns when leadership ends (or was never won before
/// cancellation); like client-go, a process usually exits then instead of campaigning again.
/// </summary>
public sealed partial class LeaderElector
{
    /// <summary>
    /// The exit code of a component that lost its lease (EX_TEMPFAIL): its supervisor starts it again, as the kubelet
    /// restarts upstream's static control-plane pods; hack/up.sh's launcher restarts a component that exits with it.
    /// </summary>
    public const int LostLeadershipExitCode = 75;

    private readonly IKubernetes client;
    private readonly LeaderElectionConfig config;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private string observedRecord = string.Empty;
    private DateTimeOffset observedTime;
    private volatile bool isLeader;

    public LeaderElector(IKubernetes client, LeaderElectionConfig config, TimeProvider? time = null, ILogger? logger = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.config = config ?? throw new ArgumentNullException(nameof(config));
        config.Validate();
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Runs while this candidate leads; its token is cancelled when leadership ends.</summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; init; }

    /// <summary>Called once when a leader stops leading (lost renewal or cancellation).</summary>
    public Action? OnStoppedLeading { get; init; }

    public bool IsLeader => isLeader;

    /// <summary>The holder identity last read from the lease.</summary>
    public string? ObservedLeader { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await AcquireAsync(cancellationToken))
        {
            return;
        }
        isLeader = true;
        LogAcquired(logger, config.Identity, config.Namespace, config.LeaseName);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = OnStartedLeading is { } started ? Task.Run(() => started(leading.Token), CancellationToken.None) : Task.CompletedTask;
        await RenewLoopAsync(cancellationToken);
        isLeader = false;
        await leading.CancelAsync();
        if (cancellationToken.IsCancellationRequested && config.ReleaseOnCancel)
        {
            await ReleaseAsync();
        }
        LogStopped(logger, config.Identity);
        OnStoppedLeading?.Invoke();
        // The leading callback is not awaited beyond cancellation: like client-go, stepping down must not hang on it.
        _ = work.ContinueWith(t => LogCallbackFailed(logger, t.Exception!), TaskContinuationOptions.OnlyOnFaulted);
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken))
            {
                return true;
            }
            if (!await DelayAsync(Jitter(config.RetryPeriod), cancellationToken))
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Returns when a renewal could not succeed within the renew deadline, or on cancellation.</summary>
    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        while (await DelayAsync(config.RetryPeriod, cancellationToken))
        {
            var deadline = time.GetUtcNow() + config.RenewDeadline;
            var renewed = await TryAcquireOrRenewAsync(cancellationToken);
            while (!renewed && time.GetUtcNow() < deadline)
            {
                if (!await DelayAsync(config.RetryPeriod, cancellationToken))
                {
                    return;
                }
                renewed = await TryAcquireOrRenewAsync(cancellationToken);
            }
            if (!renewed)
            {
                LogLost(logger, config.Identity);
                return;
            }
        }
    }

    /// <summary>One round: read the lease, and write ourselves in as holder if it is ours or has expired.</summary>
    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            var lease = await ReadAsync(cancellationToken);
            if (lease is null)
            {
                Observe(await client.CoordinationV1.CreateNamespacedLeaseAsync(NewLease(now), config.Namespace, cancellationToken: cancellationToken), now);
                return true;
            }
            Observe(lease, now);
            var spec = lease.Spec ??= new V1LeaseSpec();
            var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? (int)config.LeaseDuration.TotalSeconds);
            var heldByOther = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != config.Identity;
            if (heldByOther && observedTime + duration > now)
            {
                return false;
            }
            if (spec.HolderIdentity != config.Identity)
            {
                spec.AcquireTime = now.UtcDateTime;
                spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
            }
            spec.HolderIdentity = config.Identity;
            spec.LeaseDurationSeconds = (int)config.LeaseDuration.TotalSeconds;
            spec.RenewTime = now.UtcDateTime;
            // metadata.resourceVersion is still the one read: a concurrent writer makes this a 409.
            Observe(await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, config.LeaseName, config.Namespace, cancellationToken: cancellationToken), now);
            return true;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false; // stopping: the callers' loops end on the cancelled token, so RunAsync returns rather than throws
        }
        catch (Exception e)
        {
            LogAttemptFailed(logger, config.Identity, e); // including a request that timed out: try again next period
            return false;
        }
    }

    private async Task<V1Lease?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.ReadNamespacedLeaseAsync(config.LeaseName, config.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Remembers when (on our clock) the lease record last changed; expiry is measured from then.</summary>
    private void Observe(V1Lease lease, DateTimeOffset now)
    {
        var record = $"{lease.Spec?.HolderIdentity}|{lease.Spec?.RenewTime:O}|{lease.Metadata?.ResourceVersion}";
        ObservedLeader = lease.Spec?.HolderIdentity;
        if (record != observedRecord)
        {
            observedRecord = record;
            observedTime = now;
        }
    }

    private V1Lease NewLease(DateTimeOffset now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = config.LeaseName, NamespaceProperty = config.Namespace },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = config.Identity,
            LeaseDurationSeconds = (int)config.LeaseDuration.TotalSeconds,
            AcquireTime = now.UtcDateTime,
            RenewTime = now.UtcDateTime,
            LeaseTransitions = 0,
        },
    };

    /// <summary>Best effort: empties the holder so the next candidate acquires at once instead of after expiry.</summary>
    private async Task ReleaseAsync()
    {
        try
        {
            var lease = await ReadAsync(CancellationToken.None);
            if (lease?.Spec is not { } spec || spec.HolderIdentity != config.Identity)
            {
                return;
            }
            var now = time.GetUtcNow().UtcDateTime;
            spec.HolderIdentity = null;
            spec.LeaseDurationSeconds = 1;
            spec.RenewTime = now;
            spec.AcquireTime = now;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, config.LeaseName, config.Namespace);
        }
        catch (Exception e)
        {
            LogAttemptFailed(logger, config.Identity, e);
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // client-go waits retryPeriod·(1 + 1.2·rand) between acquire attempts so candidates do not move in lockstep.
    private static TimeSpan Jitter(TimeSpan period) => period * (1 + (1.2 * Random.Shared.NextDouble()));

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "{Identity} acquired lease {Namespace}/{Name}")]
    private static partial void LogAcquired(ILogger logger, string identity, string @namespace, string name);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Identity} failed to renew the lease within the renew deadline")]
    private static partial void LogLost(ILogger logger, string identity);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "{Identity} stopped leading")]
    private static partial void LogStopped(ILogger logger, string identity);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{Identity}: lease acquire/renew attempt failed")]
    private static partial void LogAttemptFailed(ILogger logger, string identity, Exception exception);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "OnStartedLeading failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception);
}
