using K8sSharp.ApiServer.Registry;

namespace K8sSharp.ApiServer.Watching;

/// <summary>
/// Relays one watch's live events to its writer, on the reader's own continuation (no queue or thread hop between the
/// watch cache and the response). Writes are batched: the event that woke the relay and every event the source already
/// has ready are written, then the writer is flushed once before waiting for more, so a burst costs each watcher one
/// flush rather than one per event. Order is the source's. With bookmarks allowed, a BOOKMARK carrying the last
/// revision sent follows every <see cref="BookmarkInterval"/> of quiet; a gate keeps it from interleaving with events.
/// </summary>
internal sealed class WatchRelay(WatchEventWriter writer, long after, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastRevision = after;
    private long _lastSentAt = time.GetTimestamp();

    /// <summary>Relays until the source ends (or throws, after flushing what came before) or <paramref name="ct"/> fires.</summary>
    public async Task RunAsync(IAsyncEnumerable<ObjectEvent> source, bool bookmarks, CancellationToken ct)
    {
        using var relayOver = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ticker = bookmarks ? BookmarkWhenQuietAsync(relayOver.Token) : Task.CompletedTask;
        try
        {
            await RelayAsync(source, ct);
        }
        finally
        {
            await relayOver.CancelAsync();
            await ticker;
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task RelayAsync(IAsyncEnumerable<ObjectEvent> source, CancellationToken ct)
    {
        await using var events = source.GetAsyncEnumerator(ct);
        var more = await events.MoveNextAsync();
        while (more)
        {
            Task<bool>? waiting = null;
            await _gate.WaitAsync(ct);
            try
            {
                while (more && waiting is null)
                {
                    await writer.WriteAsync(events.Current, ct);
                    _lastRevision = events.Current.Revision;
                    var next = events.MoveNextAsync();
                    if (next.IsCompletedSuccessfully)
                    {
                        more = next.Result;
                    }
                    else
                    {
                        waiting = next.AsTask();
                    }
                }
                await writer.FlushAsync(ct);
                Volatile.Write(ref _lastSentAt, time.GetTimestamp());
            }
            finally
            {
                _gate.Release();
            }
            if (waiting is not null)
            {
                more = await waiting;
            }
        }
    }

    private async Task BookmarkWhenQuietAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var quiet = time.GetElapsedTime(Volatile.Read(ref _lastSentAt));
                if (quiet < BookmarkInterval)
                {
                    await Task.Delay(BookmarkInterval - quiet, time, ct);
                    continue;
                }
                await _gate.WaitAsync(ct);
                try
                {
                    await writer.WriteBookmarkAsync(_lastRevision, initialEventsEnd: false, ct);
                    Volatile.Write(ref _lastSentAt, time.GetTimestamp());
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The relay is over.
        }
    }
}
