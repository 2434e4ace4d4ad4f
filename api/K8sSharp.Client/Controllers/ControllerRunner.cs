using K8sSharp.Client.WorkQueues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Client.Controllers;

/// <summary>
/// The worker half of a controller (sample-controller's runWorker/processNextWorkItem). Reconcile functions are
/// level-triggered: they get a key, read the current state from listers and converge it. A throwing reconcile is
/// retried with the key's exponential backoff; a successful one resets that backoff.
/// </summary>
public static partial class ControllerRunner
{
    /// <summary>
    /// Runs <paramref name="workers"/> workers over <paramref name="queue"/> until <paramref name="cancellationToken"/>
    /// fires, then shuts the queue down and waits for the reconciles in flight to finish.
    /// </summary>
    public static async Task RunWorkersAsync(
        WorkQueue queue,
        int workers,
        Func<string, CancellationToken, Task> reconcile,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(reconcile);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        logger ??= NullLogger.Instance;
        using var registration = cancellationToken.Register(queue.ShutDown);
        var tasks = Enumerable.Range(0, workers)
            .Select(_ => Task.Run(() => WorkAsync(queue, reconcile, logger, cancellationToken), CancellationToken.None));
        await Task.WhenAll(tasks);
    }

    /// <summary>
    /// Runs one reconcile per key as soon as the key is handed out, with no bound on how many keys are reconciled at
    /// once (the queue still never hands one key out twice), until <paramref name="cancellationToken"/> fires; then
    /// shuts the queue down and waits for the reconciles in flight. This is the kubelet's pod workers (a goroutine per
    /// pod): a pod whose containers take seconds to stop never holds back another pod's start, as a fixed pool of
    /// workers would while every worker waits on a stop.
    /// </summary>
    public static async Task RunPerKeyAsync(
        WorkQueue queue,
        Func<string, CancellationToken, Task> reconcile,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(reconcile);
        logger ??= NullLogger.Instance;
        using var registration = cancellationToken.Register(queue.ShutDown);
        var running = new List<Task>();
        while (await queue.GetAsync(CancellationToken.None) is { } key)
        {
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(() => ProcessAsync(queue, key, reconcile, logger, cancellationToken), CancellationToken.None));
        }
        await Task.WhenAll(running);
    }

    private static async Task WorkAsync(WorkQueue queue, Func<string, CancellationToken, Task> reconcile, ILogger logger, CancellationToken cancellationToken)
    {
        // Not cancelled directly: cancellation shuts the queue down, and workers drain what is already queued.
        while (await queue.GetAsync(CancellationToken.None) is { } key)
        {
            await ProcessAsync(queue, key, reconcile, logger, cancellationToken);
        }
    }

    /// <summary>One reconcile of a key: forget its backoff on success, requeue it rate-limited on failure, and mark it done.</summary>
    private static async Task ProcessAsync(WorkQueue queue, string key, Func<string, CancellationToken, Task> reconcile, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await reconcile(key, cancellationToken);
            queue.Forget(key);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the key is dropped with the queue.
        }
        catch (Exception e)
        {
            LogRetry(logger, key, queue.NumRequeues(key) + 1, e);
            queue.AddRateLimited(key);
        }
        finally
        {
            queue.Done(key);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "reconcile of {Key} failed (attempt {Attempt}); requeued with backoff")]
    private static partial void LogRetry(ILogger logger, string key, int attempt, Exception exception);
}
