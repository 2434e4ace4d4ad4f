using System.Runtime.CompilerServices;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Tests.Storage;

/// <summary>A test decorator whose watches the test can break (as a lost etcd connection would) or refuse.</summary>
internal sealed class BreakableStorage(IStorage inner) : IStorage
{
    private CancellationTokenSource _breaker = new();
    private int _watchesStarted;

    public int WatchesStarted => Volatile.Read(ref _watchesStarted);

    /// <summary>While true, new watches fail at once with <see cref="StorageErrorKind.Unavailable"/>.</summary>
    public bool RefuseWatches { get; set; }

    /// <summary>Ends every running watch with <see cref="StorageErrorKind.Unavailable"/>.</summary>
    public void BreakWatches()
    {
        using var old = Interlocked.Exchange(ref _breaker, new CancellationTokenSource());
        old.Cancel();
    }

    public Task<StoredValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(key, value, cancellationToken);

    public Task<StoredValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        inner.GetAsync(key, cancellationToken);

    public Task<StorageList> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, options, cancellationToken);

    public Task<StoredValue> UpdateAsync(string key, byte[] value, long expectedModRevision, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(key, value, expectedModRevision, cancellationToken);

    public Task<StoredValue> DeleteAsync(string key, long expectedModRevision, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(key, expectedModRevision, cancellationToken);

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default) =>
        inner.CurrentRevisionAsync(cancellationToken);

    public async IAsyncEnumerable<StorageEvent> WatchAsync(
        string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (RefuseWatches)
        {
            throw new StorageException(StorageErrorKind.Unavailable, prefix, "watch refused by the test");
        }

        Interlocked.Increment(ref _watchesStarted);
        var broken = Volatile.Read(ref _breaker).Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, broken);
        await using var events = inner.WatchAsync(prefix, afterRevision, linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            bool moved;
            try
            {
                moved = await events.MoveNextAsync();
            }
            catch (OperationCanceledException) when (broken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new StorageException(StorageErrorKind.Unavailable, prefix, "watch broken by the test");
            }

            if (!moved)
            {
                yield break;
            }

            yield return events.Current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _breaker.Dispose();
        await inner.DisposeAsync();
    }
}
