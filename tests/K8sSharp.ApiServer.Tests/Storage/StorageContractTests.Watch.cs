using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Watch_ReplaysHistoryInOrder_ThenStreamsLiveEvents()
    {
        var start = await Storage.CreateAsync(K("pods/x"), V("before the watch"));
        var a1 = await Storage.CreateAsync(K("pods/a"), V("a1"));
        var a2 = await Storage.UpdateAsync(K("pods/a"), V("a2"), a1.ModRevision);
        var b = await Storage.CreateAsync(K("pods/b"), V("b"));
        var deleted = await Storage.DeleteAsync(K("pods/a"), a2.ModRevision);
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = Storage.WatchAsync(K("pods/"), start.ModRevision, cts.Token).GetAsyncEnumerator(cts.Token);

        var history = await TakeAsync(events, 4);
        var c = await Storage.CreateAsync(K("pods/c"), V("c"));
        var live = await TakeAsync(events, 1);

        history.Select(e => (e.Type, e.Key, Text(e.Value), e.Revision)).Should().Equal(
            (StorageEventType.Added, K("pods/a"), "a1", a1.ModRevision),
            (StorageEventType.Modified, K("pods/a"), "a2", a2.ModRevision),
            (StorageEventType.Added, K("pods/b"), "b", b.ModRevision),
            (StorageEventType.Deleted, K("pods/a"), "a2", deleted.ModRevision));
        live.Single().Should().BeEquivalentTo(new StorageEvent(StorageEventType.Added, K("pods/c"), V("c"), c.ModRevision));
    }

    [Fact]
    public async Task Watch_ModifiedEvents_CarryThePreviousValue()
    {
        var created = await Storage.CreateAsync(K("pods/a"), V("first"));
        var updated = await Storage.UpdateAsync(K("pods/a"), V("second"), 0);
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = Storage.WatchAsync(K("pods/"), created.ModRevision - 1, cts.Token).GetAsyncEnumerator(cts.Token);

        var history = await TakeAsync(events, 2);

        history[0].PreviousValue.Should().BeNull("an ADDED event has no previous value");
        history[1].Revision.Should().Be(updated.ModRevision);
        Text(history[1].PreviousValue!).Should().Be("first");
    }

    [Fact]
    public async Task Watch_DeletedEvents_CarryTheLastValue()
    {
        var created = await Storage.CreateAsync(K("pods/a"), V("first"));
        await Storage.UpdateAsync(K("pods/a"), V("last"), 0);
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = Storage.WatchAsync(K("pods/"), await Storage.CurrentRevisionAsync(), cts.Token).GetAsyncEnumerator(cts.Token);
        var pending = events.MoveNextAsync(); // the watch is established by the first MoveNextAsync

        var deleted = await Storage.DeleteAsync(K("pods/a"), 0);

        (await pending.AsTask().WaitAsync(TestTimeout)).Should().BeTrue();
        events.Current.Type.Should().Be(StorageEventType.Deleted);
        Text(events.Current.Value).Should().Be("last");
        events.Current.Revision.Should().Be(deleted.ModRevision);
        events.Current.Revision.Should().BeGreaterThan(created.ModRevision);
    }

    [Fact]
    public async Task Watch_DeliversOnlyKeysUnderThePrefix()
    {
        var start = await Storage.CurrentRevisionAsync();
        await Storage.CreateAsync(K("podsx/a"), V("sibling"));
        await Storage.CreateAsync(K("pod"), V("shorter"));
        await Storage.CreateAsync(K("pods/a"), V("mine"));
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = Storage.WatchAsync(K("pods/"), start, cts.Token).GetAsyncEnumerator(cts.Token);

        var first = await TakeAsync(events, 1);
        await Storage.CreateAsync(K("podsx/b"), V("sibling"));
        await Storage.CreateAsync(K("pods/b"), V("mine"));
        var second = await TakeAsync(events, 1);

        first.Single().Key.Should().Be(K("pods/a"));
        second.Single().Key.Should().Be(K("pods/b"));
    }

    [Fact]
    public async Task Watch_FromTheCurrentRevision_DeliversOnlyNewEvents()
    {
        await Storage.CreateAsync(K("pods/old"), V("old"));
        var current = await Storage.CurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = Storage.WatchAsync(K("pods/"), current, cts.Token).GetAsyncEnumerator(cts.Token);
        var pending = events.MoveNextAsync();

        var created = await Storage.CreateAsync(K("pods/new"), V("new"));

        (await pending.AsTask().WaitAsync(TestTimeout)).Should().BeTrue();
        events.Current.Key.Should().Be(K("pods/new"));
        events.Current.Revision.Should().Be(created.ModRevision);
    }

    [Fact]
    public async Task Watch_AfterACompactedRevision_FailsWithCompacted()
    {
        var v1 = await Storage.CreateAsync(K("pods/a"), V("1"));
        await Storage.UpdateAsync(K("pods/a"), V("2"), 0);
        var v3 = await Storage.UpdateAsync(K("pods/a"), V("3"), 0);
        await CompactAsync(v3.ModRevision);
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = Storage.WatchAsync(K("pods/"), v1.ModRevision, cts.Token).GetAsyncEnumerator(cts.Token);

        var error = await ExpectErrorAsync(async () => await events.MoveNextAsync(), StorageErrorKind.Compacted);

        error.CompactedRevision.Should().BeGreaterThanOrEqualTo(v3.ModRevision);
    }

    [Fact]
    public async Task Watch_EndsWithOperationCanceled_WhenCancelled()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var events = Storage.WatchAsync(K("pods/"), await Storage.CurrentRevisionAsync(), cts.Token).GetAsyncEnumerator(cts.Token);
        var pending = events.MoveNextAsync().AsTask();
        await Task.Delay(100);

        await cts.CancelAsync();

        await FluentActions.Awaiting(() => pending.WaitAsync(TestTimeout)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Watch_SeveralWatchers_EachReceiveEveryEvent()
    {
        var start = await Storage.CurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TestTimeout);
        await using var one = Storage.WatchAsync(K("pods/"), start, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var two = Storage.WatchAsync(K("pods/"), start, cts.Token).GetAsyncEnumerator(cts.Token);
        var created = await Storage.CreateAsync(K("pods/a"), V("a"));
        var updated = await Storage.UpdateAsync(K("pods/a"), V("b"), 0);

        var fromOne = await TakeAsync(one, 2);
        var fromTwo = await TakeAsync(two, 2);

        long[] expected = [created.ModRevision, updated.ModRevision];
        fromOne.Select(e => e.Revision).Should().Equal(expected);
        fromTwo.Select(e => e.Revision).Should().Equal(expected);
    }
}
