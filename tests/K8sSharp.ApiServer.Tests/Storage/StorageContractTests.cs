using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

/// <summary>
/// The <see cref="IStorage"/> contract, run against every backend by one concrete subclass each. xunit creates one
/// instance per test, so every test gets a fresh storage (or, for etcd, a fresh key prefix). Assertions on revisions
/// are relative (greater than, not "+1") because etcd may be shared with other writers.
/// </summary>
public abstract partial class StorageContractTests : IAsyncLifetime
{
    private IStorage? _storage;

    protected IStorage Storage => _storage ?? throw new InvalidOperationException("storage not initialized");

    /// <summary>Root of every key a test writes; etcd subclasses make it unique per test instance.</summary>
    protected virtual string Root => "/registry/";

    protected abstract Task<IStorage> CreateStorageAsync();

    /// <summary>
    /// Makes revisions before <paramref name="revision"/> unavailable: afterwards lists at older revisions and watches
    /// after older revisions must fail with <see cref="StorageErrorKind.Compacted"/>. May replace <see cref="Storage"/>.
    /// </summary>
    protected abstract Task CompactAsync(long revision);

    /// <summary>Disposes everything the subclass created (the cache subclasses also dispose the inner storage).</summary>
    protected virtual ValueTask DisposeStorageAsync(IStorage storage) => storage.DisposeAsync();

    public async Task InitializeAsync() => _storage = await CreateStorageAsync();

    public async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await DisposeStorageAsync(_storage);
        }
    }

    protected void ReplaceStorage(IStorage storage) => _storage = storage;

    protected string K(string relative) => Root + relative;
}
