using k8s.Models;
using K8sSharp.Client.Cache;

namespace K8sSharp.Client.Tests.Cache;

public class IndexerListerTests
{
    private static V1Pod Pod(string ns, string name, string? node = null, string? owner = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            NamespaceProperty = ns,
            Name = name,
            Labels = labels,
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "rs", Uid = owner }],
        },
        Spec = new V1PodSpec { NodeName = node },
    };

    [Theory]
    [InlineData("default", "a", "default/a")]
    [InlineData("", "node-1", "node-1")]
    [InlineData(null, "node-1", "node-1")]
    public void Keys_are_namespace_slash_name(string? ns, string name, string key)
    {
        ObjectKeys.For(ns, name).Should().Be(key);
        ObjectKeys.Split(key).Should().Be((ns ?? string.Empty, name));
    }

    [Fact]
    public void Indexes_follow_upserts_and_removals()
    {
        var indexer = new Indexer<V1Pod>();
        indexer.AddIndex(IndexFuncs.NodeName, IndexFuncs.PodByNodeName);
        indexer.AddIndex(IndexFuncs.OwnerUid, IndexFuncs.ByOwnerUid);
        indexer.Upsert(Pod("default", "a", node: "n1", owner: "u1"));
        indexer.Upsert(Pod("default", "b", node: "n1"));
        indexer.Upsert(Pod("other", "c"));

        indexer.ByIndex(IndexFuncs.NodeName, "n1").Select(p => p.Metadata.Name).Should().BeEquivalentTo("a", "b");
        indexer.ByIndex(IndexFuncs.OwnerUid, "u1").Should().ContainSingle();

        var old = indexer.Upsert(Pod("default", "a", node: "n2"));
        old!.Spec.NodeName.Should().Be("n1");
        indexer.ByIndex(IndexFuncs.NodeName, "n1").Select(p => p.Metadata.Name).Should().Equal("b");
        indexer.ByIndex(IndexFuncs.NodeName, "n2").Should().ContainSingle();
        indexer.ByIndex(IndexFuncs.OwnerUid, "u1").Should().BeEmpty();

        indexer.Remove("default/b")!.Metadata.Name.Should().Be("b");
        indexer.Remove("default/b").Should().BeNull();
        indexer.ByIndex(IndexFuncs.NodeName, "n1").Should().BeEmpty();
        indexer.Count.Should().Be(2);
    }

    [Fact]
    public void An_index_added_late_covers_existing_objects()
    {
        var indexer = new Indexer<V1Pod>();
        indexer.Upsert(Pod("default", "a", node: "n1"));
        indexer.AddIndex(IndexFuncs.NodeName, IndexFuncs.PodByNodeName);
        indexer.ByIndex(IndexFuncs.NodeName, "n1").Should().ContainSingle();
        FluentActions.Invoking(() => indexer.ByIndex("missing", "x")).Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void TryAddIndex_adds_once_and_keeps_the_first_index_for_later_callers()
    {
        var indexer = new Indexer<V1Pod>();
        indexer.Upsert(Pod("default", "a", node: "n1"));

        indexer.TryAddIndex(IndexFuncs.NodeName, IndexFuncs.PodByNodeName).Should().BeTrue();
        indexer.TryAddIndex(IndexFuncs.NodeName, _ => ["other"]).Should().BeFalse();

        indexer.ByIndex(IndexFuncs.NodeName, "n1").Should().ContainSingle();
    }

    [Fact]
    public void Lister_gets_and_lists_by_namespace_and_labels()
    {
        var indexer = new Indexer<V1Pod>();
        indexer.Upsert(Pod("default", "a", labels: new() { ["app"] = "web", ["tier"] = "fe" }));
        indexer.Upsert(Pod("default", "b", labels: new() { ["app"] = "db" }));
        indexer.Upsert(Pod("other", "c", labels: new() { ["app"] = "web" }));
        var lister = new Lister<V1Pod>(indexer);

        lister.Get("default", "a").Should().NotBeNull();
        lister.Get("default", "zzz").Should().BeNull();
        lister.GetByKey("other/c").Should().NotBeNull();
        lister.List().Should().HaveCount(3);
        lister.List("default").Should().HaveCount(2);
        lister.List("nowhere").Should().BeEmpty();
        lister.List(null, new Dictionary<string, string> { ["app"] = "web" }).Should().HaveCount(2);
        lister.List("default", new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } })
            .Select(p => p.Metadata.Name).Should().Equal("a");
    }

    [Theory]
    [InlineData("In", "web,api", true)]
    [InlineData("In", "db", false)]
    [InlineData("NotIn", "db", true)]
    [InlineData("NotIn", "web", false)]
    [InlineData("Exists", "", true)]
    [InlineData("DoesNotExist", "", false)]
    public void Selector_expressions_follow_apimachinery(string op, string values, bool matches)
    {
        var selector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = op, Values = values.Length == 0 ? null : values.Split(',') }],
        };
        LabelSelectors.Matches(selector, new Dictionary<string, string> { ["app"] = "web" }).Should().Be(matches);
    }

    [Fact]
    public void Empty_selector_matches_everything_and_null_nothing()
    {
        LabelSelectors.Matches(new V1LabelSelector(), new Dictionary<string, string>()).Should().BeTrue();
        LabelSelectors.Matches((V1LabelSelector?)null, new Dictionary<string, string>()).Should().BeFalse();
    }
}
