using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

/// <summary>The contract against <see cref="MemoryStorage"/>, plus what only the in-memory backend promises.</summary>
public sealed class MemoryStorageTests : StorageContractTests
{
    private MemoryStorage Memory => (MemoryStorage)Storage;

    protected override Task<IStorage> CreateStorageAsync() => Task.FromResult<IStorage>(new MemoryStorage());

    protected override Task CompactAsync(long revision)
    {
        Memory.Compact(revision);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Revisions_StartAtOne_AndEveryWriteTakesTheNextOne()
    {
        (await Storage.CurrentRevisionAsync()).Should().Be(1, "etcd starts at revision 1 when empty");

        var created = await Storage.CreateAsync(K("pods/a"), V("1"));
        var updated = await Storage.UpdateAsync(K("pods/a"), V("2"), created.ModRevision);
        var deleted = await Storage.DeleteAsync(K("pods/a"), updated.ModRevision);

        created.ModRevision.Should().Be(2);
        updated.ModRevision.Should().Be(3);
        deleted.ModRevision.Should().Be(4);
        (await Storage.CurrentRevisionAsync()).Should().Be(4);
    }

    [Fact]
    public async Task Values_AreCopiedOnWrite()
    {
        var value = V("original");
        await Storage.CreateAsync(K("pods/a"), value);

        value[0] = (byte)'X';

        Text((await Storage.GetAsync(K("pods/a")))!.Value).Should().Be("original");
    }

    [Fact]
    public void Compact_AtAFutureRevision_IsRejected()
    {
        FluentActions.Invoking(() => Memory.Compact(10)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task MaxHistory_CompactsOldRevisionsAutomatically()
    {
        await using var storage = new MemoryStorage(new MemoryStorageOptions { MaxHistory = 10 });
        for (var i = 0; i < 30; i++)
        {
            await storage.CreateAsync(K($"pods/{i:D2}"), V("x"));
        }

        var current = await storage.CurrentRevisionAsync();

        current.Should().Be(31);
        await ExpectErrorAsync(() => storage.ListAsync(K("pods/"), new ListOptions(2)), StorageErrorKind.Compacted);
        (await storage.ListAsync(K("pods/"), new ListOptions(current - 5))).Items.Should().HaveCount(25);
    }

    [Fact]
    public async Task SlowWatcher_IsTerminated_WithoutBlockingWritersOrOtherWatchers()
    {
        await using var storage = new MemoryStorage(new MemoryStorageOptions { WatchBufferSize = 4 });
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var slow = storage.WatchAsync(K("pods/"), 1, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var fast = storage.WatchAsync(K("pods/"), 1, cts.Token).GetAsyncEnumerator(cts.Token);
        var slowFirst = slow.MoveNextAsync(); // registers the slow watcher, which then never reads again
        var fastReceived = new List<StorageEvent>();

        for (var i = 0; i < 20; i++)
        {
            await storage.CreateAsync(K($"pods/{i:D2}"), V("x")).WaitAsync(TestTimeout);
            fastReceived.AddRange(await TakeAsync(fast, 1));
        }

        fastReceived.Select(e => e.Revision).Should().Equal(Enumerable.Range(2, 20).Select(r => (long)r));
        (await slowFirst).Should().BeTrue();
        var error = await ExpectErrorAsync(async () => { while (await slow.MoveNextAsync()) { } }, StorageErrorKind.Unavailable);
        error.Message.Should().Contain("behind");
    }

    [Fact]
    public async Task Watch_StartedDuringConcurrentWrites_MissesAndReordersNothing()
    {
        await using var storage = new MemoryStorage();
        const int writers = 4, writesEach = 250;
        var started = new TaskCompletionSource();
        var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < writesEach; i++)
            {
                await storage.CreateAsync(K($"pods/{w}-{i}"), V("x"));
                if (i == writesEach / 4)
                {
                    started.TrySetResult();
                }
            }
        })));
        await started.Task;
        var from = await storage.CurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = storage.WatchAsync(K("pods/"), from, cts.Token).GetAsyncEnumerator(cts.Token);

        var received = await TakeAsync(events, (int)(1 + (writers * writesEach) - from));
        await writing;

        received.Select(e => e.Revision).Should().Equal(Enumerable.Range((int)from + 1, received.Count).Select(r => (long)r));
    }
}
