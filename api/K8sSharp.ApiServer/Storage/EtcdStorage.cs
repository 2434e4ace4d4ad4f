using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace K8sSharp.ApiServer.Storage;

/// <summary>
/// <see cref="IStorage"/> over etcd v3 (dotnet-etcd's generated gRPC stubs on one plain channel: no client-side retry
/// policy, whose per-call buffering a profile of creates showed at ~10% of the API server's CPU; a failed call
/// surfaces at once and the client retries, as against kube-apiserver). Keys are stored as given.
/// Conditional writes are single transactions whose failure branch reads the key back, so one round trip tells
/// <see cref="StorageErrorKind.Conflict"/> from <see cref="StorageErrorKind.NotFound"/>. Transport failures and
/// timeouts map to <see cref="StorageErrorKind.Unavailable"/>; cancellation by the caller stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class EtcdStorage : IStorage
{
    private readonly GrpcChannel _channel;
    private readonly KV.KVClient _kv;
    private readonly Watch.WatchClient _watch;
    private readonly TimeSpan _requestTimeout;

    /// <param name="endpoint">The etcd client URL, e.g. <c>http://127.0.0.1:2379</c> (one member: a single-node cluster).</param>
    /// <param name="requestTimeout">Deadline of each unary call (default 30 s); watches have none.</param>
    public EtcdStorage(string endpoint, TimeSpan? requestTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        Endpoint = endpoint;
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
        if (endpoint.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException($"one etcd endpoint is supported, got \"{endpoint}\"", nameof(endpoint));
        }
        // No gRPC receive limit: the watch cache lists whole pages of objects (upstream sets it to the max too).
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        _kv = new KV.KVClient(_channel);
        _watch = new Watch.WatchClient(_channel);
    }

    public string Endpoint { get; }

    public async Task<StoredValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(KeyAbsent(key));
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Key(key), Value = Wrap(value) } });
        var response = await CallAsync(key, options => _kv.TxnAsync(txn, options), cancellationToken);
        if (!response.Succeeded)
        {
            throw StorageErrors.KeyExists(key);
        }

        return new StoredValue(key, value, response.Header.Revision, response.Header.Revision);
    }

    public async Task<StoredValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new RangeRequest { Key = Key(key) };
        var response = await CallAsync(key, options => _kv.RangeAsync(request, options), cancellationToken);
        return response.Kvs.Count == 0 ? null : ToStoredValue(response.Kvs[0]);
    }

    public async Task<StoredValue> UpdateAsync(string key, byte[] value, long expectedModRevision, CancellationToken cancellationToken = default)
    {
        var put = new RequestOp { RequestPut = new PutRequest { Key = Key(key), Value = Wrap(value), PrevKv = true } };
        var response = await GuardedTxnAsync(key, expectedModRevision, put, cancellationToken);
        var previous = response.Responses[0].ResponsePut.PrevKv;
        return new StoredValue(key, value, response.Header.Revision, previous.CreateRevision);
    }

    public async Task<StoredValue> DeleteAsync(string key, long expectedModRevision, CancellationToken cancellationToken = default)
    {
        var delete = new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Key(key), PrevKv = true } };
        var response = await GuardedTxnAsync(key, expectedModRevision, delete, cancellationToken);
        var previous = response.Responses[0].ResponseDeleteRange.PrevKvs[0];
        return new StoredValue(key, previous.Value.ToByteArray(), response.Header.Revision, previous.CreateRevision);
    }

    /// <remarks>
    /// The request leaves SortOrder unset: etcd already returns keys in ascending byte order, and an explicit sort
    /// order makes etcd (3.4, 3.5) ignore the limit, read the whole range and sort it in memory.
    /// </remarks>
    public async Task<StorageList> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        var start = options.StartKey is { } startKey && StorageKeys.Comparer.Compare(startKey, prefix) > 0 ? startKey : prefix;
        var request = new RangeRequest
        {
            Key = Key(start),
            RangeEnd = PrefixEnd(prefix),
            Revision = options.Revision,
            Limit = options.Limit,
        };

        RangeResponse response;
        try
        {
            response = await CallAsync(prefix, callOptions => _kv.RangeAsync(request, callOptions), cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange)
        {
            throw await MapRevisionErrorAsync(ex, prefix, options.Revision, cancellationToken);
        }

        var items = response.Kvs.Select(ToStoredValue).ToArray();
        var remaining = response.More ? response.Count - items.Length : 0;

        // The header always carries the store's current revision; a read at an older one happened at that one.
        var revision = options.Revision != 0 ? options.Revision : response.Header.Revision;
        return new StorageList(items, revision, response.More, remaining);
    }

    public async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        var request = new RangeRequest { Key = ByteString.CopyFromUtf8("/"), CountOnly = true };
        var response = await CallAsync("/", options => _kv.RangeAsync(request, options), cancellationToken);
        return response.Header.Revision;
    }

    /// <summary>Compacts the whole etcd keyspace at <paramref name="revision"/> (what kube-apiserver's compactor does).</summary>
    public async Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        var request = new CompactionRequest { Revision = revision };
        try
        {
            await CallAsync("/", options => _kv.CompactAsync(request, options), cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange)
        {
            throw await MapRevisionErrorAsync(ex, "/", revision, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A transaction that runs <paramref name="operation"/> only if the key exists and, when
    /// <paramref name="expectedModRevision"/> &gt; 0, has that mod revision; otherwise it reads the key (keys only)
    /// to report <see cref="StorageErrorKind.NotFound"/> or <see cref="StorageErrorKind.Conflict"/>.
    /// </summary>
    private async Task<TxnResponse> GuardedTxnAsync(string key, long expectedModRevision, RequestOp operation, CancellationToken cancellationToken)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(expectedModRevision == 0 ? KeyPresent(key) : ModRevisionIs(key, expectedModRevision));
        txn.Success.Add(operation);
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Key(key), KeysOnly = true } });
        var response = await CallAsync(key, options => _kv.TxnAsync(txn, options), cancellationToken);
        if (response.Succeeded)
        {
            return response;
        }

        var found = response.Responses[0].ResponseRange.Kvs;
        throw found.Count == 0
            ? StorageErrors.NotFound(key)
            : StorageErrors.Conflict(key, expectedModRevision, found[0].ModRevision);
    }

    /// <summary>
    /// Runs one unary call with the request deadline. Caller cancellation surfaces as
    /// <see cref="OperationCanceledException"/>; OutOfRange (revision errors) is left to the caller; any other gRPC
    /// failure means etcd could not serve the request: <see cref="StorageErrorKind.Unavailable"/>.
    /// </summary>
    private async Task<T> CallAsync<T>(string key, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(new CallOptions(deadline: DateTime.UtcNow + _requestTimeout, cancellationToken: cancellationToken));
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.OutOfRange)
        {
            throw MapFailure(ex, key, cancellationToken);
        }
    }

    private Exception MapFailure(RpcException ex, string key, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("the etcd request was cancelled", ex, cancellationToken)
            : StorageErrors.Unavailable(key, $"etcd at {Endpoint} failed ({ex.StatusCode}): {ex.Status.Detail}");

    /// <summary>Maps etcd's "required revision has been compacted" / "... is a future revision" range errors.</summary>
    private async Task<Exception> MapRevisionErrorAsync(RpcException ex, string key, long revision, CancellationToken cancellationToken)
    {
        if (ex.Status.Detail.Contains("compacted", StringComparison.Ordinal))
        {
            return StorageErrors.Compacted(key, revision, await ProbeCompactedRevisionAsync(cancellationToken));
        }

        if (ex.Status.Detail.Contains("future revision", StringComparison.Ordinal))
        {
            return StorageErrors.FutureRevision(key, revision, await CurrentRevisionAsync(cancellationToken));
        }

        return StorageErrors.Unavailable(key, $"etcd at {Endpoint} rejected revision {revision}: {ex.Status.Detail}");
    }

    private static Compare KeyAbsent(string key) => new()
    {
        Key = Key(key),
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = 0,
    };

    private static Compare KeyPresent(string key) => new()
    {
        Key = Key(key),
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Greater,
        CreateRevision = 0,
    };

    private static Compare ModRevisionIs(string key, long modRevision) => new()
    {
        Key = Key(key),
        Target = Compare.Types.CompareTarget.Mod,
        Result = Compare.Types.CompareResult.Equal,
        ModRevision = modRevision,
    };

    private static StoredValue ToStoredValue(Mvccpb.KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.ModRevision, kv.CreateRevision);

    private static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    // The request is serialized before the call returns and the array is not touched meanwhile: no copy needed.
    private static ByteString Wrap(byte[] value) => UnsafeByteOperations.UnsafeWrap(value);

    /// <summary>etcd's range end for "every key starting with <paramref name="prefix"/>": the prefix with its last
    /// byte below 0xFF incremented (and what follows dropped); "\0" (= to the end of the keyspace) if there is none.</summary>
    private static ByteString PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xFF)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(new byte[] { 0 });
    }
}
