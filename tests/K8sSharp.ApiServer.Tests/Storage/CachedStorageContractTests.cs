using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

/// <summary>
/// The contract against <see cref="CachedStorage"/> over some inner storage. The cache mirrors <see cref="StorageContractTests.Root"/>,
/// so every list and watch of the suite is served by the cache. A cache does not follow the inner storage's
/// compaction (its ring still covers those revisions); "compaction" here therefore compacts the inner storage and
/// restarts the cache, which then starts at the inner store's current revision, as after an apiserver restart.
/// </summary>
public abstract class CachedStorageContractTests : StorageContractTests
{
    private IStorage? _inner;

    protected IStorage Inner => _inner ?? throw new InvalidOperationException("inner storage not initialized");

    protected abstract Task<IStorage> CreateInnerAsync();

    protected abstract Task CompactInnerAsync(long revision);

    protected override async Task<IStorage> CreateStorageAsync()
    {
        _inner = await CreateInnerAsync();
        return await StartCacheAsync();
    }

    protected override async Task CompactAsync(long revision)
    {
        await CompactInnerAsync(revision);
        await Storage.DisposeAsync();
        ReplaceStorage(await StartCacheAsync());
    }

    protected override async ValueTask DisposeStorageAsync(IStorage storage)
    {
        await storage.DisposeAsync();
        await Inner.DisposeAsync();
    }

    private async Task<IStorage> StartCacheAsync()
    {
        var cache = new CachedStorage(Inner, Root);
        await cache.WaitReadyAsync().WaitAsync(TestTimeout);
        return cache;
    }
}

public sealed class CachedMemoryStorageTests : CachedStorageContractTests
{
    protected override Task<IStorage> CreateInnerAsync() => Task.FromResult<IStorage>(new MemoryStorage());

    protected override Task CompactInnerAsync(long revision)
    {
        ((MemoryStorage)Inner).Compact(revision);
        return Task.CompletedTask;
    }
}

[Collection(EtcdCollection.Name)]
public sealed class CachedEtcdStorageTests : CachedStorageContractTests
{
    protected override string Root { get; } = EtcdTestEnvironment.UniqueRoot();

    protected override async Task<IStorage> CreateInnerAsync() => await EtcdTestEnvironment.ConnectAsync();

    protected override Task CompactInnerAsync(long revision) => ((EtcdStorage)Inner).CompactAsync(revision);
}
