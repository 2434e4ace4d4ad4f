namespace K8sSharp.ApiServer.Storage;

/// <summary>
/// The one narrow storage interface every backend (etcd, memory) and decorator (watch cache, value
/// transformers) implements. Keys are full paths such as <c>/registry/pods/default/web-1</c>. Values are opaque
/// bytes (the serialized object). Revisions are the backend's global, strictly increasing revision: an object's
/// resourceVersion is its <see cref="StoredValue.ModRevision"/>, a list's is <see cref="StorageList.Revision"/>.
/// </summary>
/// <remarks>
/// Contract shared by all backends and checked by one shared test suite:
/// <list type="bullet">
/// <item>Every successful write (create, update, delete) takes the next revision.</item>
/// <item>Create fails with <see cref="StorageErrorKind.KeyExists"/> when the key exists.</item>
/// <item>Update and delete with <c>expectedModRevision</c> &gt; 0 fail with <see cref="StorageErrorKind.Conflict"/>
/// when the stored ModRevision differs; 0 means "whatever is stored". Both fail with
/// <see cref="StorageErrorKind.NotFound"/> when the key is absent.</item>
/// <item>List returns keys under the prefix in ascending byte order, at <see cref="ListOptions.Revision"/> (0 = latest),
/// at most <see cref="ListOptions.Limit"/> items (0 = all), starting at <see cref="ListOptions.StartKey"/> (inclusive).
/// A revision older than the compacted one fails with <see cref="StorageErrorKind.Compacted"/>.</item>
/// <item>Watch yields, in revision order, every change under the prefix with revision &gt; <c>afterRevision</c>,
/// then keeps streaming until cancelled. A compacted <c>afterRevision</c> fails with
/// <see cref="StorageErrorKind.Compacted"/> (thrown from the enumerator).</item>
/// </list>
/// </remarks>
public interface IStorage : IAsyncDisposable
{
    Task<StoredValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default);

    Task<StoredValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task<StorageList> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default);

    Task<StoredValue> UpdateAsync(string key, byte[] value, long expectedModRevision, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key; returns the last stored value with <see cref="StoredValue.ModRevision"/> set to the deletion's revision.</summary>
    Task<StoredValue> DeleteAsync(string key, long expectedModRevision, CancellationToken cancellationToken = default);

    IAsyncEnumerable<StorageEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default);

    /// <summary>The newest revision of the whole store (not only of one prefix).</summary>
    Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default);
}

public sealed record StoredValue(string Key, byte[] Value, long ModRevision, long CreateRevision);

public sealed record ListOptions(long Revision = 0, int Limit = 0, string? StartKey = null);

/// <param name="Items">The page, in ascending key order.</param>
/// <param name="Revision">The revision the page was read at; a continuation must read at the same one.</param>
/// <param name="HasMore">Whether keys after the page remain under the prefix.</param>
/// <param name="RemainingCount">How many keys remain after the page (0 when unknown or none).</param>
public sealed record StorageList(IReadOnlyList<StoredValue> Items, long Revision, bool HasMore, long RemainingCount);

public enum StorageEventType { Added, Modified, Deleted }

/// <param name="Value">The new value; for <see cref="StorageEventType.Deleted"/> the last value before deletion.</param>
/// <param name="Revision">The revision of the change.</param>
public sealed record StorageEvent(StorageEventType Type, string Key, byte[] Value, long Revision)
{
    /// <summary>For <see cref="StorageEventType.Modified"/>: the value before the change, where the backend or
    /// cache knows it (null otherwise). Selector-filtered watches need it to tell an object that stops or starts
    /// matching from one that changes within the selection.</summary>
    public byte[]? PreviousValue { get; init; }
}

public enum StorageErrorKind { NotFound, KeyExists, Conflict, Compacted, Unavailable }

public sealed class StorageException(StorageErrorKind kind, string key, string message) : Exception(message)
{
    public StorageErrorKind Kind { get; } = kind;

    public string Key { get; } = key;

    /// <summary>For <see cref="StorageErrorKind.Compacted"/>: the oldest revision still available.</summary>
    public long CompactedRevision { get; init; }

    /// <summary>For <see cref="StorageErrorKind.Conflict"/>: the key's mod revision the write found (the newer write that won).</summary>
    public long ActualModRevision { get; init; }
}
