using System.Runtime.CompilerServices;

namespace K8sSharp.ApiServer.Storage;

public sealed class MemoryStorageOptions
{
    /// <summary>Events a watcher may lag behind before its watch is terminated (see <see cref="WatcherHub"/>).</summary>
    public int WatchBufferSize { get; init; } = 4096;

    /// <summary>
    /// Revisions of history kept before older ones are compacted automatically (0 = only <see cref="MemoryStorage.Compact"/>
    /// compacts). Bounds memory the way kube-apiserver's periodic etcd compaction does.
    /// </summary>
    public int MaxHistory { get; init; } = 100_000;
}

/// <summary>
/// An in-process <see cref="IStorage"/> with etcd's semantics: one global revision (1 when empty, so the first write
/// gets 2), per-key create/mod revisions, MVCC reads at any retained revision, watches from any retained revision,
/// and compaction. For tests and single-process development servers.
/// </summary>
/// <remarks>
/// Every revision is one write, kept as an event plus an immutable snapshot of the key space in a
/// <see cref="RevisionHistory"/>. One lock serializes writes, reads of the history and watch registration, which is
/// what guarantees watches see history then live events with no gap and no reordering. Values are copied on write;
/// returned arrays are shared and must not be mutated.
/// Compaction at revision C keeps reads at C and watches after C (etcd also serves a watch after C - 1).
/// </remarks>
public sealed class MemoryStorage : IStorage
{
    private readonly Lock _gate = new();
    private readonly RevisionHistory _history = new(capacity: 0);
    private readonly WatcherHub _watchers;
    private readonly int _maxHistory;
    private bool _disposed;

    public MemoryStorage(MemoryStorageOptions? options = null)
    {
        options ??= new MemoryStorageOptions();
        _watchers = new WatcherHub(options.WatchBufferSize);
        _maxHistory = options.MaxHistory;
        _history.Reset(1, StorageKeys.EmptySet);
    }

    public Task<StoredValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default) =>
        Run(() => Create(key, [.. value]), cancellationToken);

    public Task<StoredValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Run(() => StorageKeys.TryGet(_history.Current, key, out var stored) ? stored : null, cancellationToken);

    public Task<StoredValue> UpdateAsync(string key, byte[] value, long expectedModRevision, CancellationToken cancellationToken = default) =>
        Run(() => Update(key, [.. value], expectedModRevision), cancellationToken);

    public Task<StoredValue> DeleteAsync(string key, long expectedModRevision, CancellationToken cancellationToken = default) =>
        Run(() => Delete(key, expectedModRevision), cancellationToken);

    public Task<StorageList> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default) =>
        Run(() => List(prefix, options), cancellationToken);

    public async IAsyncEnumerable<StorageEvent> WatchAsync(
        string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StorageEvent[] history;
        WatcherHub.Watcher watcher;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (afterRevision < _history.StartRevision)
            {
                throw StorageErrors.Compacted(prefix, afterRevision, _history.StartRevision);
            }

            history = _history.EventsAfter(afterRevision, prefix);
            watcher = _watchers.Add(prefix, afterRevision);
        }

        using (watcher)
        {
            await foreach (var storageEvent in watcher.ReadAsync(history, cancellationToken))
            {
                yield return storageEvent;
            }
        }
    }

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default) =>
        Run(() => _history.Revision, cancellationToken);

    /// <summary>
    /// Discards history before <paramref name="revision"/>, like etcd's Compact: afterwards lists at an older revision
    /// and watches after an older revision fail with <see cref="StorageErrorKind.Compacted"/>.
    /// </summary>
    public void Compact(long revision)
    {
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(revision, _history.Revision);
            _history.TrimBefore(revision);
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _watchers.CloseAll(null);
        }

        return ValueTask.CompletedTask;
    }

    private StoredValue Create(string key, byte[] value)
    {
        if (StorageKeys.TryGet(_history.Current, key, out _))
        {
            throw StorageErrors.KeyExists(key);
        }

        return Commit(StorageEventType.Added, key, value, createRevision: 0);
    }

    private StoredValue Update(string key, byte[] value, long expectedModRevision)
    {
        var current = Precondition(key, expectedModRevision);
        return Commit(StorageEventType.Modified, key, value, current.CreateRevision);
    }

    private StoredValue Delete(string key, long expectedModRevision)
    {
        var current = Precondition(key, expectedModRevision);
        return Commit(StorageEventType.Deleted, key, current.Value, current.CreateRevision);
    }

    private StorageList List(string prefix, ListOptions options)
    {
        var revision = options.Revision == 0 ? _history.Revision : options.Revision;
        if (revision < _history.StartRevision)
        {
            throw StorageErrors.Compacted(prefix, revision, _history.StartRevision);
        }

        if (!_history.TryGetSnapshot(revision, out var snapshot))
        {
            throw StorageErrors.FutureRevision(prefix, revision, _history.Revision);
        }

        return StorageKeys.Page(snapshot, prefix, options, revision);
    }

    /// <summary>Checks that the key exists and, when <paramref name="expectedModRevision"/> &gt; 0, its mod revision.</summary>
    private StoredValue Precondition(string key, long expectedModRevision)
    {
        if (!StorageKeys.TryGet(_history.Current, key, out var current))
        {
            throw StorageErrors.NotFound(key);
        }

        if (expectedModRevision != 0 && current.ModRevision != expectedModRevision)
        {
            throw StorageErrors.Conflict(key, expectedModRevision, current.ModRevision);
        }

        return current;
    }

    /// <summary>Applies one write at the next revision, records it and tells the watchers. Caller holds the lock.</summary>
    /// <param name="createRevision">The key's create revision; 0 for a creation (then it is this revision).</param>
    private StoredValue Commit(StorageEventType type, string key, byte[] value, long createRevision)
    {
        var revision = _history.Revision + 1;
        var stored = new StoredValue(key, value, revision, createRevision == 0 ? revision : createRevision);
        var snapshot = type == StorageEventType.Deleted
            ? _history.Current.Remove(stored)
            : StorageKeys.Put(_history.Current, stored);
        var storageEvent = new StorageEvent(type, key, value, revision)
        {
            PreviousValue = type == StorageEventType.Modified && StorageKeys.TryGet(_history.Current, key, out var previous) ? previous.Value : null,
        };
        _history.Append(storageEvent, snapshot);
        _watchers.Publish(storageEvent);
        if (_maxHistory > 0 && _history.Count > _maxHistory + (_maxHistory / 4))
        {
            // Compact in batches so that trimming stays amortized O(1) per write.
            _history.TrimBefore(revision - _maxHistory);
        }

        return stored;
    }

    /// <summary>Runs <paramref name="body"/> (the operations below) under the lock and reports its outcome as a completed task.</summary>
    private Task<T> Run<T>(Func<T> body, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return Task.FromResult(body());
            }
        }
        catch (Exception ex) when (ex is StorageException or ObjectDisposedException)
        {
            return Task.FromException<T>(ex);
        }
    }
}
