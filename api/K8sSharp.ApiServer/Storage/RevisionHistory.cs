using System.Collections.Immutable;

namespace K8sSharp.ApiServer.Storage;

/// <summary>
/// A window of revisions: a base snapshot at <see cref="StartRevision"/> followed by the events after it, each with
/// the immutable snapshot of the whole key space right after that event. Snapshots share structure (an immutable
/// AVL tree), so each costs O(log n) new nodes. Used as the MVCC store of <see cref="MemoryStorage"/> (trimmed by
/// compaction) and as the ring buffer of <see cref="CachedStorage"/> (trimmed by capacity).
/// </summary>
/// <remarks>Not thread-safe: owners call it under their own lock.</remarks>
internal sealed class RevisionHistory(int capacity)
{
    private readonly List<Entry> _entries = [];
    private readonly int _capacity = capacity;
    private int _head;
    private ImmutableSortedSet<StoredValue> _baseSnapshot = StorageKeys.EmptySet;

    /// <summary>The oldest revision whose state is known; events after it are all retained.</summary>
    public long StartRevision { get; private set; }

    /// <summary>The newest revision known (the last event's, or <see cref="StartRevision"/> without events).</summary>
    public long Revision => Count > 0 ? _entries[^1].Event.Revision : StartRevision;

    public ImmutableSortedSet<StoredValue> Current => Count > 0 ? _entries[^1].Snapshot : _baseSnapshot;

    public int Count => _entries.Count - _head;

    /// <summary>Forgets everything and starts over from a snapshot taken at <paramref name="revision"/>.</summary>
    public void Reset(long revision, ImmutableSortedSet<StoredValue> snapshot)
    {
        _entries.Clear();
        _head = 0;
        StartRevision = revision;
        _baseSnapshot = snapshot;
    }

    /// <summary>Appends an event (revision must exceed <see cref="Revision"/>); evicts the oldest over capacity.</summary>
    public void Append(StorageEvent storageEvent, ImmutableSortedSet<StoredValue> snapshotAfter)
    {
        _entries.Add(new Entry(storageEvent, snapshotAfter));
        if (_capacity > 0 && Count > _capacity)
        {
            DropOldest(1);
        }
    }

    /// <summary>Drops history before <paramref name="revision"/>: afterwards the state at exactly that revision is
    /// still readable, and events after it are still retained (the in-memory equivalent of etcd compaction).</summary>
    public void TrimBefore(long revision)
    {
        var keep = FirstIndexAfter(revision);
        DropOldest(keep - _head);
        StartRevision = Math.Max(StartRevision, revision);
    }

    /// <summary>The state at <paramref name="revision"/>, if it lies within [<see cref="StartRevision"/>,
    /// <see cref="Revision"/>]. A revision between two retained events maps to the older one's snapshot: nothing
    /// this history tracks changed in between.</summary>
    public bool TryGetSnapshot(long revision, out ImmutableSortedSet<StoredValue> snapshot)
    {
        snapshot = _baseSnapshot;
        if (revision < StartRevision || revision > Revision)
        {
            return false;
        }

        var index = FirstIndexAfter(revision) - 1;
        if (index >= _head)
        {
            snapshot = _entries[index].Snapshot;
        }

        return true;
    }

    /// <summary>Events with revision &gt; <paramref name="afterRevision"/> under <paramref name="prefix"/>, in order.
    /// The caller checks <paramref name="afterRevision"/> &gt;= <see cref="StartRevision"/> first.</summary>
    public StorageEvent[] EventsAfter(long afterRevision, string prefix)
    {
        var result = new List<StorageEvent>();
        for (var i = FirstIndexAfter(afterRevision); i < _entries.Count; i++)
        {
            if (StorageKeys.IsUnder(_entries[i].Event.Key, prefix))
            {
                result.Add(_entries[i].Event);
            }
        }

        return [.. result];
    }

    /// <summary>Index (into <c>_entries</c>) of the first retained entry with revision &gt; <paramref name="revision"/>.</summary>
    private int FirstIndexAfter(long revision)
    {
        int lo = _head, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_entries[mid].Event.Revision <= revision)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Moves the base forward over <paramref name="count"/> entries; amortized O(1) per entry because the
    /// backing list is only shifted once the dropped prefix outweighs the live part.</summary>
    private void DropOldest(int count)
    {
        if (count <= 0)
        {
            return;
        }

        var newBase = _entries[_head + count - 1];
        _baseSnapshot = newBase.Snapshot;
        StartRevision = newBase.Event.Revision;
        _head += count;
        if (_head >= 1024 && _head >= _entries.Count / 2)
        {
            _entries.RemoveRange(0, _head);
            _head = 0;
        }
    }

    private readonly record struct Entry(StorageEvent Event, ImmutableSortedSet<StoredValue> Snapshot);
}
