using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Create_StoresValue_WithCreateAndModRevisionOfTheWrite()
    {
        var before = await Storage.CurrentRevisionAsync();

        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));

        created.Key.Should().Be(K("pods/default/a"));
        Text(created.Value).Should().Be("one");
        created.ModRevision.Should().BeGreaterThan(before);
        created.CreateRevision.Should().Be(created.ModRevision);
        var read = await Storage.GetAsync(K("pods/default/a"));
        read.Should().NotBeNull();
        Text(read!.Value).Should().Be("one");
        read.ModRevision.Should().Be(created.ModRevision);
        read.CreateRevision.Should().Be(created.CreateRevision);
        (await Storage.CurrentRevisionAsync()).Should().BeGreaterThanOrEqualTo(created.ModRevision);
    }

    [Fact]
    public async Task Create_ExistingKey_FailsWithKeyExists_AndKeepsTheValue()
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));

        await ExpectErrorAsync(() => Storage.CreateAsync(K("pods/default/a"), V("two")), StorageErrorKind.KeyExists);

        var read = await Storage.GetAsync(K("pods/default/a"));
        Text(read!.Value).Should().Be("one");
        read.ModRevision.Should().Be(created.ModRevision);
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        await Storage.CreateAsync(K("pods/default/a"), V("one"));

        (await Storage.GetAsync(K("pods/default/b"))).Should().BeNull();
        (await Storage.GetAsync(K("pods/default/"))).Should().BeNull("a prefix is not a key");
    }

    [Fact]
    public async Task Update_WithCurrentModRevision_Succeeds_AndKeepsCreateRevision()
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));

        var updated = await Storage.UpdateAsync(K("pods/default/a"), V("two"), created.ModRevision);

        updated.ModRevision.Should().BeGreaterThan(created.ModRevision);
        updated.CreateRevision.Should().Be(created.CreateRevision);
        Text(updated.Value).Should().Be("two");
        var read = await Storage.GetAsync(K("pods/default/a"));
        read.Should().BeEquivalentTo(updated);
    }

    [Fact]
    public async Task Update_WithStaleModRevision_FailsWithConflict()
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));
        var updated = await Storage.UpdateAsync(K("pods/default/a"), V("two"), created.ModRevision);

        var conflict = await ExpectErrorAsync(() => Storage.UpdateAsync(K("pods/default/a"), V("three"), created.ModRevision), StorageErrorKind.Conflict);

        conflict.ActualModRevision.Should().Be(updated.ModRevision, "the winner's revision, which a cache must show before the loser reads again");
        var read = await Storage.GetAsync(K("pods/default/a"));
        Text(read!.Value).Should().Be("two");
        read.ModRevision.Should().Be(updated.ModRevision);
    }

    [Fact]
    public async Task Update_WithZeroRevision_OverwritesWhateverIsStored()
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));
        await Storage.UpdateAsync(K("pods/default/a"), V("two"), 0);

        var updated = await Storage.UpdateAsync(K("pods/default/a"), V("three"), 0);

        Text(updated.Value).Should().Be("three");
        updated.CreateRevision.Should().Be(created.CreateRevision);
        Text((await Storage.GetAsync(K("pods/default/a")))!.Value).Should().Be("three");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Update_MissingKey_FailsWithNotFound(long expectedModRevision)
    {
        await Storage.CreateAsync(K("pods/default/other"), V("x"));

        await ExpectErrorAsync(() => Storage.UpdateAsync(K("pods/default/a"), V("one"), expectedModRevision), StorageErrorKind.NotFound);

        (await Storage.GetAsync(K("pods/default/a"))).Should().BeNull("a failed update must not create the key");
    }

    [Fact]
    public async Task Delete_WithCurrentModRevision_ReturnsLastValue_AtTheDeletionRevision()
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));
        var updated = await Storage.UpdateAsync(K("pods/default/a"), V("two"), 0);

        var deleted = await Storage.DeleteAsync(K("pods/default/a"), updated.ModRevision);

        Text(deleted.Value).Should().Be("two");
        deleted.ModRevision.Should().BeGreaterThan(updated.ModRevision);
        deleted.CreateRevision.Should().Be(created.CreateRevision);
        (await Storage.GetAsync(K("pods/default/a"))).Should().BeNull();
        (await Storage.CurrentRevisionAsync()).Should().BeGreaterThanOrEqualTo(deleted.ModRevision);
    }

    [Fact]
    public async Task Delete_WithStaleModRevision_FailsWithConflict_AndKeepsTheKey()
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));
        await Storage.UpdateAsync(K("pods/default/a"), V("two"), 0);

        await ExpectErrorAsync(() => Storage.DeleteAsync(K("pods/default/a"), created.ModRevision), StorageErrorKind.Conflict);

        Text((await Storage.GetAsync(K("pods/default/a")))!.Value).Should().Be("two");
    }

    [Fact]
    public async Task Delete_WithZeroRevision_DeletesWhateverIsStored()
    {
        await Storage.CreateAsync(K("pods/default/a"), V("one"));

        var deleted = await Storage.DeleteAsync(K("pods/default/a"), 0);

        Text(deleted.Value).Should().Be("one");
        (await Storage.GetAsync(K("pods/default/a"))).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Delete_MissingKey_FailsWithNotFound(long expectedModRevision)
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("one"));
        await Storage.DeleteAsync(K("pods/default/a"), created.ModRevision);

        await ExpectErrorAsync(() => Storage.DeleteAsync(K("pods/default/a"), expectedModRevision), StorageErrorKind.NotFound);
        await ExpectErrorAsync(() => Storage.DeleteAsync(K("pods/default/never"), expectedModRevision), StorageErrorKind.NotFound);
    }

    [Fact]
    public async Task Recreate_AfterDelete_GetsANewCreateRevision()
    {
        var first = await Storage.CreateAsync(K("pods/default/a"), V("one"));
        await Storage.DeleteAsync(K("pods/default/a"), 0);

        var second = await Storage.CreateAsync(K("pods/default/a"), V("again"));

        second.CreateRevision.Should().BeGreaterThan(first.CreateRevision);
        second.CreateRevision.Should().Be(second.ModRevision);
    }

    [Fact]
    public async Task EveryWrite_TakesANewHigherRevision()
    {
        var a = await Storage.CreateAsync(K("pods/default/a"), V("1"));
        var b = await Storage.CreateAsync(K("pods/default/b"), V("1"));
        var a2 = await Storage.UpdateAsync(K("pods/default/a"), V("2"), a.ModRevision);
        var deleted = await Storage.DeleteAsync(K("pods/default/b"), b.ModRevision);

        long[] revisions = [a.ModRevision, b.ModRevision, a2.ModRevision, deleted.ModRevision];
        revisions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task ConcurrentUpdates_WithTheSameExpectedRevision_ExactlyOneWins()
    {
        var created = await Storage.CreateAsync(K("pods/default/a"), V("start"));
        const int writers = 8;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            try
            {
                await Storage.UpdateAsync(K("pods/default/a"), V($"writer-{i}"), created.ModRevision);
                return "won";
            }
            catch (StorageException ex) when (ex.Kind == StorageErrorKind.Conflict)
            {
                return "conflict";
            }
        })));

        outcomes.Count(o => o == "won").Should().Be(1);
        outcomes.Count(o => o == "conflict").Should().Be(writers - 1);
        Text((await Storage.GetAsync(K("pods/default/a")))!.Value).Should().StartWith("writer-");
    }
}
