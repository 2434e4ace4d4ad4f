using System.Collections.Immutable;

namespace K8sSharp.ApiServer.Storage;

public sealed partial class CachedStorage
{
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(50);

    private long _applied;

    /// <summary>
    /// The single reader of the inner storage: list once, then watch from the cache's revision forever. A broken
    /// watch is resumed from the cache's revision (nothing is lost); only a Compacted error forces a new list.
    /// </summary>
    private async Task IngestAsync(CancellationToken stop)
    {
        var mustList = true;
        var delay = MinRetryDelay;
        while (!stop.IsCancellationRequested)
        {
            var appliedBefore = Interlocked.Read(ref _applied);
            try
            {
                if (mustList)
                {
                    await ListIntoCacheAsync(stop);
                    mustList = false;
                    delay = MinRetryDelay;
                }

                await WatchIntoCacheAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.Compacted)
            {
                LastError = ex;
                mustList = true;
            }
            catch (Exception ex)
            {
                LastError = ex;
            }

            delay = Interlocked.Read(ref _applied) != appliedBefore ? MinRetryDelay : delay;
            if (!await PauseAsync(delay, stop))
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Loads everything under the root at one revision (paged) and restarts the ring from it.</summary>
    private async Task ListIntoCacheAsync(CancellationToken stop)
    {
        var items = ImmutableSortedSet.CreateBuilder(StorageKeys.ValueComparer);
        long revision = 0;
        string? startKey = null;
        StorageList page;
        do
        {
            page = await _inner.ListAsync(RootPrefix, new ListOptions(revision, _options.ListPageSize, startKey), stop);
            revision = page.Revision;
            items.UnionWith(page.Items);
            startKey = page.Items.Count > 0 ? page.Items[^1].Key + "\0" : startKey; // the next key in byte order
        }
        while (page.HasMore);

        lock (_gate)
        {
            var relist = _ready.Task.IsCompletedSuccessfully;
            _history.Reset(revision, items.ToImmutable());
            if (relist)
            {
                // The events between the old and the new revision are unknown: current watchers have a gap.
                _watchers.CloseAll(() => new StorageException(StorageErrorKind.Compacted, RootPrefix,
                    $"the watch cache for {RootPrefix} lost its inner watch and reloaded at revision {revision}; list again")
                {
                    CompactedRevision = revision,
                });
            }

            _ready.TrySetResult();
            SignalAdvanced();
        }

        LastError = null;
    }

    private async Task WatchIntoCacheAsync(CancellationToken stop)
    {
        long from;
        lock (_gate)
        {
            from = _history.Revision;
        }

        await foreach (var storageEvent in _inner.WatchAsync(RootPrefix, from, stop))
        {
            Apply(storageEvent);
        }
    }

    /// <summary>Applies one inner event: new snapshot, ring entry, fan-out to watchers, wake consistent readers.</summary>
    private void Apply(StorageEvent storageEvent)
    {
        lock (_gate)
        {
            // Revisions only grow; several events may share one when a foreign writer used a multi-key transaction.
            if (storageEvent.Revision < _history.Revision)
            {
                return;
            }

            var current = _history.Current;
            if (storageEvent.Type == StorageEventType.Modified && storageEvent.PreviousValue is null
                && StorageKeys.TryGet(current, storageEvent.Key, out var previous))
            {
                storageEvent = storageEvent with { PreviousValue = previous.Value };
            }
            var snapshot = storageEvent.Type == StorageEventType.Deleted
                ? current.Remove(StorageKeys.Probe(storageEvent.Key))
                : StorageKeys.Put(current, ToStoredValue(current, storageEvent));
            _history.Append(storageEvent, snapshot);
            _watchers.Publish(storageEvent);
            Interlocked.Increment(ref _applied);
            SignalAdvanced();
        }

        LastError = null;
    }

    /// <summary>Events do not carry the create revision: an ADDED event's is its own, a MODIFIED keeps the cached one.</summary>
    private static StoredValue ToStoredValue(ImmutableSortedSet<StoredValue> current, StorageEvent storageEvent)
    {
        var createRevision = storageEvent.Type != StorageEventType.Added && StorageKeys.TryGet(current, storageEvent.Key, out var old)
            ? old.CreateRevision
            : storageEvent.Revision;
        return new StoredValue(storageEvent.Key, storageEvent.Value, storageEvent.Revision, createRevision);
    }

    /// <summary>Wakes everyone waiting in <see cref="WaitForRevisionAsync"/>. Caller holds the lock.</summary>
    private void SignalAdvanced()
    {
        var advanced = _advanced;
        _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        advanced.TrySetResult();
    }

    private static async Task<bool> PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
