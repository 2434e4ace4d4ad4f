using K8sSharp.ApiServer.Storage;
using static K8sSharp.ApiServer.Tests.Storage.StorageTestHelpers;

namespace K8sSharp.ApiServer.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task List_ReturnsKeysUnderThePrefix_InAscendingOrder()
    {
        foreach (var name in new[] { "ns1/c", "ns1/a", "ns2/b", "ns1/b", "ns10/a" })
        {
            await Storage.CreateAsync(K("pods/" + name), V(name));
        }

        var all = await Storage.ListAsync(K("pods/"), new ListOptions());
        var ns1 = await Storage.ListAsync(K("pods/ns1/"), new ListOptions());

        Keys(all).Should().Equal(K("pods/ns1/a"), K("pods/ns1/b"), K("pods/ns1/c"), K("pods/ns10/a"), K("pods/ns2/b"));
        all.HasMore.Should().BeFalse();
        all.RemainingCount.Should().Be(0);
        Keys(ns1).Should().Equal(K("pods/ns1/a"), K("pods/ns1/b"), K("pods/ns1/c"));
        Text(ns1.Items[1].Value).Should().Be("ns1/b");
    }

    [Fact]
    public async Task List_DoesNotLeakIntoSiblingPrefixes()
    {
        await Storage.CreateAsync(K("pods/a"), V("pod"));
        await Storage.CreateAsync(K("podsx/a"), V("other"));
        await Storage.CreateAsync(K("pod"), V("shorter"));
        await Storage.CreateAsync(K("pods0"), V("after the range end"));

        var pods = await Storage.ListAsync(K("pods/"), new ListOptions());

        Keys(pods).Should().Equal(K("pods/a"));
    }

    [Fact]
    public async Task List_OfAnEmptyPrefix_ReturnsNothing_AtTheCurrentRevision()
    {
        var created = await Storage.CreateAsync(K("pods/a"), V("pod"));

        var list = await Storage.ListAsync(K("services/"), new ListOptions());

        list.Items.Should().BeEmpty();
        list.HasMore.Should().BeFalse();
        list.Revision.Should().BeGreaterThanOrEqualTo(created.ModRevision);
    }

    [Fact]
    public async Task List_AtLatest_SeesTheCallersOwnWrites()
    {
        var a = await Storage.CreateAsync(K("pods/a"), V("1"));
        var updated = await Storage.UpdateAsync(K("pods/a"), V("2"), a.ModRevision);
        await Storage.CreateAsync(K("pods/b"), V("1"));
        var deleted = await Storage.DeleteAsync(K("pods/b"), 0);

        var list = await Storage.ListAsync(K("pods/"), new ListOptions());

        list.Items.Should().ContainSingle().Which.Should().BeEquivalentTo(updated);
        list.Revision.Should().BeGreaterThanOrEqualTo(deleted.ModRevision);
    }

    [Fact]
    public async Task List_WithLimit_ReportsHasMoreAndRemainingCount()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await Storage.CreateAsync(K("pods/" + name), V(name));
        }

        var page = await Storage.ListAsync(K("pods/"), new ListOptions(Limit: 2));
        var exact = await Storage.ListAsync(K("pods/"), new ListOptions(Limit: 5));

        Keys(page).Should().Equal(K("pods/a"), K("pods/b"));
        page.HasMore.Should().BeTrue();
        page.RemainingCount.Should().Be(3);
        exact.Items.Should().HaveCount(5);
        exact.HasMore.Should().BeFalse();
        exact.RemainingCount.Should().Be(0);
    }

    [Fact]
    public async Task List_PagesAtAFixedRevision_AreOneConsistentSnapshot_DespiteLaterWrites()
    {
        var stored = new Dictionary<string, StoredValue>();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            stored[name] = await Storage.CreateAsync(K("pods/" + name), V(name + "-v1"));
        }

        var first = await Storage.ListAsync(K("pods/"), new ListOptions(Limit: 2));
        await Storage.UpdateAsync(K("pods/c"), V("c-v2"), 0);
        await Storage.DeleteAsync(K("pods/d"), 0);
        await Storage.CreateAsync(K("pods/bb"), V("new"));
        await Storage.CreateAsync(K("pods/f"), V("new"));
        var second = await Storage.ListAsync(K("pods/"), new ListOptions(first.Revision, 2, first.Items[^1].Key + "\0"));
        var third = await Storage.ListAsync(K("pods/"), new ListOptions(first.Revision, 2, second.Items[^1].Key + "\0"));

        Keys(first).Should().Equal(K("pods/a"), K("pods/b"));
        second.Revision.Should().Be(first.Revision);
        second.Items.Should().BeEquivalentTo([stored["c"], stored["d"]], o => o.WithStrictOrdering());
        second.HasMore.Should().BeTrue();
        second.RemainingCount.Should().Be(1);
        third.Items.Should().BeEquivalentTo([stored["e"]]);
        third.HasMore.Should().BeFalse();
        var latest = await Storage.ListAsync(K("pods/"), new ListOptions());
        Keys(latest).Should().Equal(K("pods/a"), K("pods/b"), K("pods/bb"), K("pods/c"), K("pods/e"), K("pods/f"));
    }

    [Fact]
    public async Task List_AtAnOldRevision_ReturnsThatRevisionsState()
    {
        var a1 = await Storage.CreateAsync(K("pods/a"), V("a1"));
        var a2 = await Storage.UpdateAsync(K("pods/a"), V("a2"), a1.ModRevision);
        var b = await Storage.CreateAsync(K("pods/b"), V("b"));
        var deleted = await Storage.DeleteAsync(K("pods/a"), a2.ModRevision);

        (await Storage.ListAsync(K("pods/"), new ListOptions(a1.ModRevision))).Items.Should().BeEquivalentTo([a1]);
        (await Storage.ListAsync(K("pods/"), new ListOptions(a2.ModRevision))).Items.Should().BeEquivalentTo([a2]);
        var atB = await Storage.ListAsync(K("pods/"), new ListOptions(b.ModRevision));
        atB.Items.Should().BeEquivalentTo([a2, b], o => o.WithStrictOrdering());
        atB.Revision.Should().Be(b.ModRevision);
        (await Storage.ListAsync(K("pods/"), new ListOptions(deleted.ModRevision))).Items.Should().BeEquivalentTo([b]);
    }

    [Fact]
    public async Task List_AtACompactedRevision_FailsWithCompacted()
    {
        var v1 = await Storage.CreateAsync(K("pods/a"), V("1"));
        var v2 = await Storage.UpdateAsync(K("pods/a"), V("2"), 0);
        var v3 = await Storage.UpdateAsync(K("pods/a"), V("3"), 0);

        await CompactAsync(v3.ModRevision);

        var error = await ExpectErrorAsync(() => Storage.ListAsync(K("pods/"), new ListOptions(v1.ModRevision)), StorageErrorKind.Compacted);
        error.CompactedRevision.Should().BeGreaterThanOrEqualTo(v3.ModRevision);
        await ExpectErrorAsync(() => Storage.ListAsync(K("pods/"), new ListOptions(v2.ModRevision)), StorageErrorKind.Compacted);
        var atCompaction = await Storage.ListAsync(K("pods/"), new ListOptions(v3.ModRevision));
        atCompaction.Items.Should().BeEquivalentTo([v3], "the compacted revision itself stays readable");
    }

    [Fact]
    public async Task List_AtAFutureRevision_FailsWithUnavailable()
    {
        var created = await Storage.CreateAsync(K("pods/a"), V("1"));

        await ExpectErrorAsync(
            () => Storage.ListAsync(K("pods/"), new ListOptions(created.ModRevision + 1_000_000)), StorageErrorKind.Unavailable);
    }
}
