using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>The restore input of partial syncs (only changed per-service chains rewritten), against golden files.</summary>
public sealed class PartialSyncTests
{
    private static readonly ProxierConfig Config = new(Node, "10.244.0.0/16", "10.96.0.0/12");

    private static readonly ProxiedServicePort Svc1 = Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1"));

    private static readonly ProxiedServicePort Svc4 = Port("ns4", "svc4", "10.96.0.44", Ready("10.244.1.4"), Ready("10.244.1.5"), Ready("10.244.2.6"));

    /// <summary>The input of a partial sync from <paramref name="before"/> (already applied) to <paramref name="after"/>.</summary>
    private static string Partial(ProxiedServicePort[] before, ProxiedServicePort[] after)
    {
        var previous = RuleSetWriter.Write(Config, before, []).ServiceChains();
        var next = RuleSetWriter.Write(Config, after, previous.Keys);
        return next.Render(next.UnchangedSince(previous));
    }

    [Fact]
    public void An_added_endpoint_rewrites_only_its_service_chain_and_the_new_endpoint_chain()
    {
        var text = Partial([Svc1, Svc4], [Svc1 with { Endpoints = [Ready("10.244.1.1"), Ready("10.244.1.2")] }, Svc4]);
        GoldenFile.Verify("partial-endpoint-added", text);
        text.Should().NotContain(":" + ChainNames.ServicePort(Svc4.Name), "svc4 did not change").And.NotContain("-A " + ChainNames.ServicePort(Svc4.Name));
        text.Should().NotContain(":" + ChainNames.Endpoint(Svc1.Name, Ready("10.244.1.1")), "the unchanged endpoint chain is kept, not flushed");
    }

    [Fact]
    public void A_removed_service_has_its_chains_deleted_and_the_others_left_alone()
    {
        var text = Partial([Svc1, Svc4], [Svc1]);
        GoldenFile.Verify("partial-service-removed", text);
        text.Should().Contain("-X " + ChainNames.ServicePort(Svc4.Name));
        text.Should().NotContain(":" + ChainNames.ServicePort(Svc1.Name));
    }

    [Fact]
    public void Nothing_changed_rewrites_only_the_fixed_chains()
    {
        var text = Partial([Svc1, Svc4], [Svc1, Svc4]);
        text.Should().NotContain("KUBE-SEP-").And.NotContain(":KUBE-SVC-");
        text.Should().Contain("-A KUBE-SERVICES", "the entry chains are always rewritten whole");
    }

    [Fact]
    public void A_full_render_writes_every_chain()
    {
        var rules = RuleSetWriter.Write(Config, [Svc1, Svc4], []);
        rules.Render(null).Should().Be(rules.Text);
        rules.ServiceChains().Keys.Should().Contain([ChainNames.ServicePort(Svc1.Name), ChainNames.ServicePort(Svc4.Name)]);
    }
}
