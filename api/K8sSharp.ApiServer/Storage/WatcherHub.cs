using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace K8sSharp.ApiServer.Storage;

/// <summary>
/// The set of live watchers of an in-process event source (<see cref="MemoryStorage"/>, <see cref="CachedStorage"/>).
/// Each watcher owns a bounded channel, so a slow reader never blocks the writer: when its buffer is full the watcher
/// is terminated with <see cref="StorageErrorKind.Unavailable"/>, as kube-apiserver drops watchers that fall behind;
/// the client re-watches from the last revision it saw.
/// </summary>
/// <remarks>
/// Ordering contract: the owner registers a watcher and snapshots its history under the owner's lock, and calls
/// <see cref="Publish"/> under that same lock, so no event is missed or reordered between history and live events.
/// The same <see cref="StorageEvent"/> instance (and value array) is handed to every watcher, never copied.
/// </remarks>
internal sealed class WatcherHub(int bufferSize)
{
    private readonly ConcurrentDictionary<long, Watcher> _watchers = new();
    private long _nextId;

    public int BufferSize { get; } = bufferSize > 0 ? bufferSize : throw new ArgumentOutOfRangeException(nameof(bufferSize));

    public int Count => _watchers.Count;

    /// <summary>Registers a watcher for events under <paramref name="prefix"/> with revision &gt; <paramref name="afterRevision"/>.</summary>
    public Watcher Add(string prefix, long afterRevision)
    {
        var watcher = new Watcher(this, Interlocked.Increment(ref _nextId), prefix, afterRevision);
        _watchers[watcher.Id] = watcher;
        return watcher;
    }

    /// <summary>Offers the event to every watcher; call under the owner's lock (see remarks).</summary>
    public void Publish(StorageEvent storageEvent)
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher.Offer(storageEvent);
        }
    }

    /// <summary>Ends every watch: normally when <paramref name="error"/> is null, else with a fresh exception each.</summary>
    public void CloseAll(Func<Exception>? error)
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher.Close(error?.Invoke());
        }
    }

    private void Remove(Watcher watcher) => _watchers.TryRemove(watcher.Id, out _);

    internal sealed class Watcher : IDisposable
    {
        private readonly WatcherHub _hub;
        private readonly Channel<StorageEvent> _channel;
        private readonly string _prefix;
        private readonly long _afterRevision;
        private Exception? _error;
        private int _closed;

        public Watcher(WatcherHub hub, long id, string prefix, long afterRevision)
        {
            _hub = hub;
            Id = id;
            _prefix = prefix;
            _afterRevision = afterRevision;
            _channel = Channel.CreateBounded<StorageEvent>(new BoundedChannelOptions(hub.BufferSize)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait, // TryWrite fails instead of dropping silently
            });
        }

        public long Id { get; }

        /// <summary>Yields <paramref name="history"/>, then live events until closed, cancelled or disposed.</summary>
        public async IAsyncEnumerable<StorageEvent> ReadAsync(
            StorageEvent[] history, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var storageEvent in history)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return storageEvent;
            }

            await foreach (var storageEvent in _channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return storageEvent;
            }

            if (Volatile.Read(ref _error) is { } error)
            {
                throw error;
            }
        }

        public void Dispose()
        {
            Close(null);
            _hub.Remove(this);
        }

        internal void Offer(StorageEvent storageEvent)
        {
            // A watch may start after a revision the source has not reached yet: skip what it already has.
            if (storageEvent.Revision <= _afterRevision || !StorageKeys.IsUnder(storageEvent.Key, _prefix))
            {
                return;
            }

            if (!_channel.Writer.TryWrite(storageEvent) && Volatile.Read(ref _closed) == 0)
            {
                Close(new StorageException(StorageErrorKind.Unavailable, _prefix,
                    $"watch on {_prefix} fell more than {_hub.BufferSize} events behind and was stopped; " +
                    "watch again from the last revision received"));
            }
        }

        internal void Close(Exception? error)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Volatile.Write(ref _error, error);
                _channel.Writer.TryComplete();
            }
        }
    }
}
