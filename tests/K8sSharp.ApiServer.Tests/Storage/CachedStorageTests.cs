using System.Diagnostics.CodeAnalysis;
using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

/// <summary>What only the watch cache promises, beyond the shared contract (over an in-memory inner storage).</summary>
[SuppressMessage("Design", "CA1001", Justification = "Disposed by xunit through IAsyncLifetime.DisposeAsync.")]
public sealed class CachedStorageTests : IAsyncLifetime
{
    private readonly MemoryStorage _memory = new();
    private readonly BreakableStorage _inner;
    private CachedStorage _cache = null!;

    public CachedStorageTests() => _inner = new BreakableStorage(_memory);

    public Task InitializeAsync() => StartAsync(new CachedStorageOptions());

    public async Task DisposeAsync()
    {
        await _cache.DisposeAsync();
        await _inner.DisposeAsync();
    }

    [Fact]
    public async Task ListAtAPastRevision_IsServedFromTheRing_EvenAfterTheInnerStorageCompacted()
    {
        var v1 = await _cache.CreateAsync("/registry/pods/a", V("v1"));
        var v2 = await _cache.UpdateAsync("/registry/pods/a", V("v2"), 0);
        await WaitForCacheAsync(v2.ModRevision);

        _memory.Compact(v2.ModRevision);
        var old = await _cache.ListAsync("/registry/pods/", new ListOptions(v1.ModRevision));

        old.Items.Should().BeEquivalentTo([v1]);
        old.Revision.Should().Be(v1.ModRevision);
    }

    [Fact]
    public async Task WatchOlderThanTheRing_FailsWithCompacted()
    {
        await RestartAsync(new CachedStorageOptions { HistoryCapacity = 3 });
        var first = await _cache.CreateAsync("/registry/pods/a", V("0"));
        for (var i = 1; i <= 5; i++)
        {
            await _cache.UpdateAsync("/registry/pods/a", V($"{i}"), 0);
        }

        var last = await _cache.CurrentRevisionAsync();
        await WaitForCacheAsync(last);

        var error = await ExpectErrorAsync(() => FirstEventAsync(_cache, first.ModRevision), StorageErrorKind.Compacted);
        error.CompactedRevision.Should().Be(last - 3);
        (await FirstEventAsync(_cache, last - 3)).Revision.Should().Be(last - 2);
    }

    [Fact]
    public async Task ConsistentReads_AreServedByTheInnerStorage_WhenTheCacheCannotCatchUpWithItsOwnWrites()
    {
        await RestartAsync(new CachedStorageOptions { ConsistentReadTimeout = TimeSpan.FromMilliseconds(200) });
        var a = await _cache.CreateAsync("/registry/pods/a", V("a"));
        await WaitForCacheAsync(a.ModRevision);
        StopFeedingTheCache();

        var b = await _cache.CreateAsync("/registry/pods/b", V("b"));

        (await _cache.ListAsync("/registry/pods/", new ListOptions())).Items.Should().BeEquivalentTo([a, b]);
        (await _cache.GetAsync("/registry/pods/b")).Should().BeEquivalentTo(b);
    }

    [Fact]
    public async Task ConsistentList_WithoutFallback_FailsWithUnavailable_WhenTheCacheCannotCatchUp()
    {
        await RestartAsync(new CachedStorageOptions
        {
            ConsistentReadTimeout = TimeSpan.FromMilliseconds(200),
            FallBackToInnerStorage = false,
        });
        var a = await _cache.CreateAsync("/registry/pods/a", V("a"));
        await WaitForCacheAsync(a.ModRevision);
        StopFeedingTheCache();
        await _cache.CreateAsync("/registry/pods/b", V("b"));

        await ExpectErrorAsync(() => _cache.ListAsync("/registry/pods/", new ListOptions()), StorageErrorKind.Unavailable);
    }

    [Fact]
    public async Task ConsistentReads_DoNotWaitForWritesOutsideTheRoot()
    {
        await RestartAsync(new CachedStorageOptions { ConsistentReadTimeout = TimeSpan.FromSeconds(30), FallBackToInnerStorage = false });
        var a = await _cache.CreateAsync("/registry/pods/a", V("a"));
        await _cache.CreateAsync("/elsewhere/x", V("x"));

        // Without the exception for keys outside the root, the list would wait for an event the cache never sees.
        (await _cache.ListAsync("/registry/pods/", new ListOptions())).Items.Should().BeEquivalentTo([a]);
    }

    /// <summary>The inner watch breaks and cannot be re-established: the cache stays where it is.</summary>
    private void StopFeedingTheCache()
    {
        _inner.RefuseWatches = true;
        _inner.BreakWatches();
    }

    [Fact]
    public async Task PrefixesOutsideTheRoot_AreDelegatedToTheInnerStorage()
    {
        await _memory.CreateAsync("/elsewhere/x", V("x"));

        var list = await _cache.ListAsync("/elsewhere/", new ListOptions());

        list.Items.Should().ContainSingle().Which.Key.Should().Be("/elsewhere/x");
    }

    [Fact]
    public async Task Watchers_ShareTheSameEventInstances()
    {
        var start = await _cache.CurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var one = _cache.WatchAsync("/registry/", start, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var two = _cache.WatchAsync("/registry/pods/", start, cts.Token).GetAsyncEnumerator(cts.Token);
        await _cache.CreateAsync("/registry/pods/a", V("a"));

        var fromOne = await TakeAsync(one, 1);
        var fromTwo = await TakeAsync(two, 1);

        fromOne[0].Should().BeSameAs(fromTwo[0]);
        fromOne[0].Value.Should().BeSameAs(fromTwo[0].Value);
    }

    [Fact]
    public async Task ABrokenInnerWatch_IsResumed_WithoutCacheWatchersNoticing()
    {
        var start = await _cache.CurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = _cache.WatchAsync("/registry/", start, cts.Token).GetAsyncEnumerator(cts.Token);
        await _cache.CreateAsync("/registry/pods/a", V("a"));
        await TakeAsync(events, 1);

        _inner.BreakWatches();
        await _cache.CreateAsync("/registry/pods/b", V("b"));
        await _cache.CreateAsync("/registry/pods/c", V("c"));
        var after = await TakeAsync(events, 2);

        after.Select(e => e.Key).Should().Equal("/registry/pods/b", "/registry/pods/c");
        _inner.WatchesStarted.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task AnInnerWatchThatCannotResume_Relists_AndEndsCacheWatchersWithCompacted()
    {
        var start = await _cache.CurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = _cache.WatchAsync("/registry/", start, cts.Token).GetAsyncEnumerator(cts.Token);
        var a = await _cache.CreateAsync("/registry/pods/a", V("a"));
        await TakeAsync(events, 1);

        _inner.RefuseWatches = true;
        _inner.BreakWatches();
        await _cache.DeleteAsync("/registry/pods/a", a.ModRevision);
        var b = await _cache.CreateAsync("/registry/pods/b", V("b"));
        _memory.Compact(b.ModRevision);
        _inner.RefuseWatches = false;

        await ExpectErrorAsync(async () => await events.MoveNextAsync().AsTask().WaitAsync(TestTimeout), StorageErrorKind.Compacted);
        var list = await _cache.ListAsync("/registry/", new ListOptions());
        list.Items.Should().ContainSingle().Which.Key.Should().Be("/registry/pods/b");
    }

    [Fact]
    public async Task ASlowCacheWatcher_IsTerminated_WhileOthersKeepUp()
    {
        await RestartAsync(new CachedStorageOptions { WatchBufferSize = 4 });
        var start = await _cache.CurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var slow = _cache.WatchAsync("/registry/", start, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var fast = _cache.WatchAsync("/registry/", start, cts.Token).GetAsyncEnumerator(cts.Token);
        var slowFirst = slow.MoveNextAsync();

        for (var i = 0; i < 20; i++)
        {
            await _cache.CreateAsync($"/registry/pods/{i:D2}", V("x"));
            await TakeAsync(fast, 1);
        }

        (await slowFirst.AsTask().WaitAsync(TestTimeout)).Should().BeTrue();
        await ExpectErrorAsync(async () => { while (await slow.MoveNextAsync()) { } }, StorageErrorKind.Unavailable);
    }

    private async Task StartAsync(CachedStorageOptions options)
    {
        _cache = new CachedStorage(_inner, "/registry/", options);
        await _cache.WaitReadyAsync().WaitAsync(TestTimeout);
    }

    private async Task RestartAsync(CachedStorageOptions options)
    {
        await _cache.DisposeAsync();
        await StartAsync(options);
    }

    private async Task WaitForCacheAsync(long revision)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        while (_cache.Revision < revision)
        {
            await Task.Delay(10, cts.Token);
        }
    }

    /// <summary>The first event of a watch on /registry/.</summary>
    private static async Task<StorageEvent> FirstEventAsync(CachedStorage storage, long afterRevision)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = storage.WatchAsync("/registry/", afterRevision, cts.Token).GetAsyncEnumerator(cts.Token);
        (await events.MoveNextAsync()).Should().BeTrue();
        return events.Current;
    }
}
