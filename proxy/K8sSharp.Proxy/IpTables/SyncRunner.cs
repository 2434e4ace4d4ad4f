using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// Runs syncs the way upstream's BoundedFrequencyRunner does: on request (any informer change), but never more often
/// than <c>minInterval</c> (a burst of changes becomes one sync), and at least every <c>period</c> (a periodic full
/// resync that repairs rules someone else flushed). A failed sync is retried after <c>minInterval</c>.
/// </summary>
internal sealed partial class SyncRunner(
    Func<CancellationToken, Task> sync, TimeSpan minInterval, TimeSpan period, TimeProvider time, ILogger<SyncRunner> logger)
{
    private readonly Channel<bool> requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private int runs;

    /// <summary>Completed syncs (successful or not), for tests and logs.</summary>
    public int Runs => Volatile.Read(ref runs);

    /// <summary>Asks for a sync soon; requests made before it starts are coalesced into it.</summary>
    public void Request() => requests.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                await sync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSyncFailed(logger, minInterval, e);
                Request();
            }
            Interlocked.Increment(ref runs);
            if (!await WaitAsync(started, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Waits for a request or the period, then for the rest of minInterval; false once cancelled.</summary>
    private async Task<bool> WaitAsync(long lastStart, CancellationToken cancellationToken)
    {
        try
        {
            using var periodic = new CancellationTokenSource(period, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, periodic.Token);
            try
            {
                await requests.Reader.ReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The period elapsed: a full resync.
            }
            var rest = minInterval - time.GetElapsedTime(lastStart);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time, cancellationToken);
            }
            requests.Reader.TryRead(out _);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "syncing proxy rules failed; retrying in {Delay}")]
    private static partial void LogSyncFailed(ILogger logger, TimeSpan delay, Exception exception);
}
