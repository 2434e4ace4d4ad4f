using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;

namespace K8sSharp.ApiServer.Storage;

public sealed partial class EtcdStorage
{
    /// <summary>
    /// One etcd watch stream per call (the raw bidirectional gRPC Watch; dotnet-etcd's callback-based helpers give no
    /// backpressure and no way to observe the end of the stream). Starts at <paramref name="afterRevision"/> + 1 with
    /// PrevKv so that DELETED events carry the last value. Disposing the enumerator cancels the stream.
    /// </summary>
    public async IAsyncEnumerable<StorageEvent> WatchAsync(
        string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = _watch.Watch(cancellationToken: cancellationToken);
        var create = new WatchCreateRequest
        {
            Key = Key(prefix),
            RangeEnd = PrefixEnd(prefix),
            StartRevision = afterRevision + 1,
            PrevKv = true,
        };
        await SendAsync(call, new WatchRequest { CreateRequest = create }, prefix, cancellationToken);
        while (true)
        {
            var response = await ReceiveAsync(call, prefix, cancellationToken);
            if (response.CompactRevision != 0)
            {
                throw StorageErrors.Compacted(prefix, afterRevision, response.CompactRevision);
            }

            if (response.Canceled)
            {
                throw StorageErrors.Unavailable(prefix, $"etcd cancelled the watch on {prefix}: {response.CancelReason}");
            }

            foreach (var etcdEvent in response.Events)
            {
                yield return ToStorageEvent(etcdEvent);
            }
        }
    }

    private async Task SendAsync(
        AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, WatchRequest request, string prefix, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw MapFailure(ex, prefix, cancellationToken);
        }
    }

    /// <summary>The next response; the stream ending without cancellation means etcd went away: Unavailable.</summary>
    private async Task<WatchResponse> ReceiveAsync(
        AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, string prefix, CancellationToken cancellationToken)
    {
        bool received;
        try
        {
            received = await call.ResponseStream.MoveNext(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw MapFailure(ex, prefix, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return received
            ? call.ResponseStream.Current
            : throw StorageErrors.Unavailable(prefix, $"etcd at {Endpoint} closed the watch on {prefix}");
    }

    private static StorageEvent ToStorageEvent(Mvccpb.Event etcdEvent)
    {
        var kv = etcdEvent.Kv;
        var key = kv.Key.ToStringUtf8();
        if (etcdEvent.Type == Mvccpb.Event.Types.EventType.Put)
        {
            var type = kv.CreateRevision == kv.ModRevision ? StorageEventType.Added : StorageEventType.Modified;
            return new StorageEvent(type, key, kv.Value.ToByteArray(), kv.ModRevision)
            {
                PreviousValue = type == StorageEventType.Modified ? etcdEvent.PrevKv?.Value.ToByteArray() : null,
            };
        }

        // etcd sends the previous value on a best-effort basis: it is missing if that revision was compacted before
        // the event was sent. The watcher cannot produce a correct DELETED event then and must list again.
        if (etcdEvent.PrevKv is null)
        {
            throw new StorageException(StorageErrorKind.Compacted, key,
                $"etcd sent the deletion of {key} at revision {kv.ModRevision} without its previous value (compacted)");
        }

        return new StorageEvent(StorageEventType.Deleted, key, etcdEvent.PrevKv.Value.ToByteArray(), kv.ModRevision);
    }

    /// <summary>
    /// etcd's range error for a compacted revision does not say which revision is the oldest left; a watch from
    /// revision 1 is refused with exactly that number. Best effort: 0 when it cannot be found out quickly.
    /// </summary>
    private async Task<long> ProbeCompactedRevisionAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var call = _watch.Watch(cancellationToken: timeout.Token);
            var create = new WatchCreateRequest { Key = Key("/"), StartRevision = 1 };
            await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, timeout.Token);
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
                var response = call.ResponseStream.Current;
                if (response.Canceled || response.Events.Count > 0)
                {
                    return response.CompactRevision;
                }
            }
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Best effort only.
        }

        return 0;
    }
}
