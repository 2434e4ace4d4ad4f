using k8s;
using K8sSharp.Client.Dynamic;
using K8sSharp.Client.Informers;
using K8sSharp.ControllerManager.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.GarbageCollection;

/// <summary>
/// The garbage collector (upstream pkg/controller/garbagecollector): watches the metadata of every deletable resource
/// (<see cref="GraphMonitors"/>), keeps the owner/dependent <see cref="DependencyGraph"/>, and works two kinds of keys
/// on one queue: <c>delete/&lt;uid&gt;</c> (attemptToDelete: collect an object whose owners are all gone, or drive a
/// foreground deletion) and <c>orphan/&lt;uid&gt;</c> (attemptToOrphan: release the dependents of an owner deleted
/// with the orphan policy). Decisions always rest on live reads, never on the possibly lagging graph alone.
/// This file: start-up and dispatch; the two attempts are in GarbageCollector.Delete.cs and GarbageCollector.Orphan.cs.
/// </summary>
internal sealed partial class GarbageCollector : QueuedController
{
    /// <summary>How often discovery is read again for new resources (upstream's 30 s).</summary>
    public static readonly TimeSpan RediscoveryPeriod = TimeSpan.FromSeconds(30);

    private const string DeletePrefix = "delete/";
    private const string OrphanPrefix = "orphan/";

    private readonly ResourceClient resources;
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GarbageCollector(IKubernetes client, TimeProvider time, ILogger logger)
        : base(time, logger)
    {
        resources = new ResourceClient(client);
        Monitors = new GraphMonitors(client, Graph, Enqueue, time, logger);
    }

    public override string Name => "garbagecollector";

    internal DependencyGraph Graph { get; } = new();

    internal GraphMonitors Monitors { get; }

    /// <summary>Completes once every monitor has listed and the workers start.</summary>
    internal Task Synced => synced.Task;

    /// <summary>The collector watches every resource itself; it needs nothing from the shared factory.</summary>
    public override void Register(SharedInformerFactory informers)
    {
    }

    /// <summary>Starts the monitors, waits for their first lists (so a missing owner is not just unlisted yet), then works.</summary>
    public override async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        await using var monitors = Monitors;
        if (!await SyncMonitorsAsync(cancellationToken))
        {
            return;
        }
        LogStarted(Logger, Graph.Count);
        synced.TrySetResult();
        var rediscovery = RediscoverAsync(cancellationToken);
        await base.RunAsync(workers, cancellationToken);
        await rediscovery;
    }

    private async Task<bool> SyncMonitorsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Monitors.SyncAsync(cancellationToken);
                while (!Monitors.HasSynced)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), Time, cancellationToken);
                }
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                LogDiscoveryFailed(Logger, e);
                await DelayQuietlyAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
        return false;
    }

    private async Task RediscoverAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await DelayQuietlyAsync(RediscoveryPeriod, cancellationToken);
            try
            {
                await Monitors.SyncAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                LogDiscoveryFailed(Logger, e);
            }
        }
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, Time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal void Enqueue(GraphWork work)
    {
        foreach (var uid in work.AttemptToDelete)
        {
            Queue.Add(DeletePrefix + uid);
        }
        foreach (var uid in work.AttemptToOrphan)
        {
            Queue.Add(OrphanPrefix + uid);
        }
    }

    public override Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith(DeletePrefix, StringComparison.Ordinal))
        {
            return AttemptToDeleteAsync(key[DeletePrefix.Length..], cancellationToken);
        }
        if (key.StartsWith(OrphanPrefix, StringComparison.Ordinal))
        {
            return AttemptToOrphanAsync(key[OrphanPrefix.Length..], cancellationToken);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "garbage collector: monitors synced, {Count} objects in the graph")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Warning, Message = "garbage collector: discovery failed")]
    private static partial void LogDiscoveryFailed(ILogger logger, Exception exception);
}
