using System.Runtime.CompilerServices;

namespace K8sSharp.ApiServer.Storage;

public sealed class CachedStorageOptions
{
    /// <summary>Events kept for watches and reads at past revisions (the ring buffer).</summary>
    public int HistoryCapacity { get; init; } = 10_000;

    /// <summary>Events a cache watcher may lag behind before its watch is terminated.</summary>
    public int WatchBufferSize { get; init; } = 4096;

    /// <summary>How long a consistent read (or a watch before start-up) waits for the cache to catch up.</summary>
    public TimeSpan ConsistentReadTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// When the cache does not catch up in time: true = serve the list from the inner storage (kube-apiserver's
    /// behaviour; still consistent, only slower), false = fail with <see cref="StorageErrorKind.Unavailable"/>.
    /// </summary>
    public bool FallBackToInnerStorage { get; init; } = true;

    /// <summary>Page size of the (re)list that fills the cache.</summary>
    public int ListPageSize { get; init; } = 10_000;

    /// <summary>Longest pause between attempts to re-establish the inner watch (doubling from 50 ms).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The watch cache: an <see cref="IStorage"/> decorator that mirrors everything under one root prefix (e.g.
/// <c>/registry/</c>) from the inner storage with a single list + watch, and serves lists and watches from memory,
/// like kube-apiserver's cacher. Writes and <see cref="CurrentRevisionAsync"/> go to the inner storage.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>State: a <see cref="RevisionHistory"/> ring of the last <see cref="CachedStorageOptions.HistoryCapacity"/>
/// events, each with an immutable sorted snapshot of the keys. Snapshots share structure, so keeping one per event
/// costs O(log n) each, and a list at any revision the ring covers is served exactly, with O(log n) paging.</item>
/// <item>Point reads and lists at revision 0 are consistent: they wait until the cache has applied every write under
/// the root that was made through it, then read memory. A K8sSharp cluster has one API server, so that is every
/// write and these reads are as linearizable as etcd's, without a round trip (kube-apiserver, built for several
/// servers, asks etcd for its current revision instead). If the cache does not catch up in time, a point read goes
/// to the inner storage, and so does a list (configurable).</item>
/// <item>Watches are served from the ring then from live events; one inner watch feeds them all, and every watcher
/// receives the same <see cref="StorageEvent"/> instances. A watch older than the ring fails with
/// <see cref="StorageErrorKind.Compacted"/> (the client lists again).</item>
/// <item>If the inner watch breaks the cache re-watches from its revision and its watchers never notice; if the inner
/// storage compacted that revision the cache lists again and terminates its watchers with Compacted.</item>
/// </list>
/// The inner storage is not owned: disposing the cache leaves it open.
/// </remarks>
public sealed partial class CachedStorage : IStorage
{
    private readonly IStorage _inner;
    private readonly CachedStorageOptions _options;
    private readonly Lock _gate = new();
    private readonly RevisionHistory _history;
    private readonly WatcherHub _watchers;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ingestion;
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;
    private long _ownWrites;

    /// <summary>Starts filling the cache in the background; see <see cref="WaitReadyAsync"/>.</summary>
    public CachedStorage(IStorage inner, string rootPrefix = "/registry/", CachedStorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(rootPrefix);
        _inner = inner;
        RootPrefix = rootPrefix;
        _options = options ?? new CachedStorageOptions();
        _history = new RevisionHistory(_options.HistoryCapacity);
        _watchers = new WatcherHub(_options.WatchBufferSize);
        _ingestion = Task.Run(() => IngestAsync(_stop.Token));
    }

    public string RootPrefix { get; }

    /// <summary>The last error of the inner list/watch, if the cache is retrying (for diagnostics).</summary>
    public Exception? LastError { get; private set; }

    /// <summary>The revision the cache has applied (internal: for tests and metrics).</summary>
    internal long Revision
    {
        get
        {
            lock (_gate)
            {
                return _history.Revision;
            }
        }
    }

    /// <summary>Completes once the initial list has been loaded.</summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    public Task<StoredValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default) =>
        Written(key, _inner.CreateAsync(key, value, cancellationToken));

    /// <summary>A consistent point read (see the remarks), from memory once the cache has applied this server's writes.</summary>
    public async Task<StoredValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (StorageKeys.IsUnder(key, RootPrefix) && await WaitForRevisionAsync(Volatile.Read(ref _ownWrites), cancellationToken))
        {
            lock (_gate)
            {
                return _history.Current.TryGetValue(new StoredValue(key, [], 0, 0), out var value) ? value : null;
            }
        }
        return await _inner.GetAsync(key, cancellationToken);
    }

    /// <summary>
    /// The cache's latest copy of a key, without asking the inner storage: it may lag the newest writes by the
    /// watch delay, so callers use it only where a miss is re-checked (as upstream's admission uses informers).
    /// </summary>
    public bool TryGetCached(string key, out StoredValue? value)
    {
        lock (_gate)
        {
            value = null;
            return _ready.Task.IsCompletedSuccessfully
                && _history.Current.TryGetValue(new StoredValue(key, [], 0, 0), out value);
        }
    }

    public Task<StoredValue> UpdateAsync(string key, byte[] value, long expectedModRevision, CancellationToken cancellationToken = default) =>
        Written(key, _inner.UpdateAsync(key, value, expectedModRevision, cancellationToken));

    /// <summary>The deleted value carries the revision of the deletion (see <see cref="IStorage.DeleteAsync"/>).</summary>
    public Task<StoredValue> DeleteAsync(string key, long expectedModRevision, CancellationToken cancellationToken = default) =>
        Written(key, _inner.DeleteAsync(key, expectedModRevision, cancellationToken));

    /// <summary>
    /// Remembers the newest revision written under the root through this cache: the revision consistent reads wait
    /// for. A conflict counts too: the write that won may not have been acknowledged to its own writer yet, and the
    /// loser's next read (a retry of a read-modify-write) must show it. (Writes elsewhere are not counted: the cache
    /// never sees their events, so it would wait for them in vain.)
    /// </summary>
    private async Task<StoredValue> Written(string key, Task<StoredValue> write)
    {
        StoredValue written;
        try
        {
            written = await write;
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.Conflict)
        {
            Remember(key, e.ActualModRevision);
            throw;
        }
        Remember(key, written.ModRevision);
        return written;
    }

    private void Remember(string key, long revision)
    {
        if (!StorageKeys.IsUnder(key, RootPrefix))
        {
            return;
        }
        var seen = Volatile.Read(ref _ownWrites);
        while (revision > seen && Interlocked.CompareExchange(ref _ownWrites, revision, seen) != seen)
        {
            seen = Volatile.Read(ref _ownWrites);
        }
    }

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default) =>
        _inner.CurrentRevisionAsync(cancellationToken);

    public async Task<StorageList> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        if (!StorageKeys.IsUnder(prefix, RootPrefix))
        {
            return await _inner.ListAsync(prefix, options, cancellationToken);
        }

        if (options.Revision == 0)
        {
            return await ConsistentListAsync(prefix, options, cancellationToken);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ready.Task.IsCompletedSuccessfully && _history.TryGetSnapshot(options.Revision, out var snapshot))
            {
                return StorageKeys.Page(snapshot, prefix, options, options.Revision);
            }
        }

        // Older than the ring (the inner storage may still have it) or newer than the cache has seen.
        return await _inner.ListAsync(prefix, options, cancellationToken);
    }

    public async IAsyncEnumerable<StorageEvent> WatchAsync(
        string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!StorageKeys.IsUnder(prefix, RootPrefix))
        {
            await foreach (var storageEvent in _inner.WatchAsync(prefix, afterRevision, cancellationToken))
            {
                yield return storageEvent;
            }

            yield break;
        }

        if (!await WaitForRevisionAsync(0, cancellationToken))
        {
            throw StorageErrors.Unavailable(prefix, $"the watch cache for {RootPrefix} is not ready: {LastError?.Message}");
        }

        var (history, watcher) = Subscribe(prefix, afterRevision);
        using (watcher)
        {
            await foreach (var storageEvent in watcher.ReadAsync(history, cancellationToken))
            {
                yield return storageEvent;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stop.CancelAsync();
        await _ingestion;
        lock (_gate)
        {
            _watchers.CloseAll(null);
        }

        _ready.TrySetCanceled();
        _stop.Dispose();
    }

    private async Task<StorageList> ConsistentListAsync(string prefix, ListOptions options, CancellationToken cancellationToken)
    {
        var required = Volatile.Read(ref _ownWrites);
        if (await WaitForRevisionAsync(required, cancellationToken))
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return StorageKeys.Page(_history.Current, prefix, options, _history.Revision);
            }
        }

        if (!_options.FallBackToInnerStorage)
        {
            throw StorageErrors.Unavailable(prefix,
                $"the watch cache for {RootPrefix} did not reach revision {required} within {_options.ConsistentReadTimeout}");
        }

        return await _inner.ListAsync(prefix, options, cancellationToken);
    }

    /// <summary>Registers a watcher and copies its backlog atomically (see <see cref="WatcherHub"/>).</summary>
    private (StorageEvent[] History, WatcherHub.Watcher Watcher) Subscribe(string prefix, long afterRevision)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (afterRevision < _history.StartRevision)
            {
                throw StorageErrors.Compacted(prefix, afterRevision, _history.StartRevision);
            }

            return (_history.EventsAfter(afterRevision, prefix), _watchers.Add(prefix, afterRevision));
        }
    }

    /// <summary>Waits until the cache is loaded and has applied <paramref name="revision"/>; false on timeout.</summary>
    private async Task<bool> WaitForRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ready.Task.IsCompletedSuccessfully && _history.Revision >= revision)
            {
                return true; // the usual case, without the timeout's allocations
            }
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConsistentReadTimeout);
        while (true)
        {
            Task advanced;
            lock (_gate)
            {
                if (_ready.Task.IsCompletedSuccessfully && _history.Revision >= revision)
                {
                    return true;
                }

                advanced = _advanced.Task;
            }

            try
            {
                await advanced.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }
}
