using K8sSharp.Proxy.Conntrack;
using K8sSharp.Proxy.Model;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>Which UDP conntrack entries a change makes stale (upstream's pkg/proxy/conntrack decisions).</summary>
public sealed class ConntrackCleanupTests
{
    private static ProxiedServicePort Dns(params ServiceEndpoint[] endpoints) =>
        Port("kube-system", "kube-dns", "10.96.0.10", endpoints) with { Name = new ServicePortName("kube-system", "kube-dns", "dns", "udp") };

    [Fact]
    public void A_removed_udp_endpoint_has_its_nat_entries_deleted_for_every_frontend()
    {
        var before = Dns(Ready("10.244.1.1", 53), Ready("10.244.1.2", 53)) with { NodePort = 30053, LoadBalancerIps = ["192.0.2.5"] };
        var after = before with { Endpoints = [Ready("10.244.1.1", 53)] };

        ConntrackCleanup.Decide([before], [after], Node).Should().BeEquivalentTo(new ConntrackDeletion[]
        {
            new("10.96.0.10", null, "10.244.1.2"),
            new("192.0.2.5", null, "10.244.1.2"),
            new(null, 30053, "10.244.1.2"),
        });
    }

    [Fact]
    public void An_endpoint_that_becomes_not_ready_counts_as_removed()
    {
        var before = Dns(Ready("10.244.1.1", 53), Ready("10.244.1.2", 53));
        var after = before with { Endpoints = [Ready("10.244.1.1", 53), Ready("10.244.1.2", 53) with { Ready = false, Serving = false }] };

        ConntrackCleanup.Decide([before], [after], Node).Should().Equal(new ConntrackDeletion("10.96.0.10", null, "10.244.1.2"));
    }

    [Fact]
    public void A_first_endpoint_flushes_every_entry_towards_the_service()
    {
        var before = Dns() with { NodePort = 30053 };
        var after = before with { Endpoints = [Ready("10.244.1.1", 53)] };

        ConntrackCleanup.Decide([before], [after], Node).Should().Equal(new ConntrackDeletion("10.96.0.10", null, null), new ConntrackDeletion(null, 30053, null));
    }

    [Fact]
    public void A_new_service_with_endpoints_flushes_its_cluster_ip()
    {
        ConntrackCleanup.Decide([], [Dns(Ready("10.244.1.1", 53))], Node).Should().Equal(new ConntrackDeletion("10.96.0.10", null, null));
    }

    [Fact]
    public void A_removed_udp_service_flushes_its_cluster_ip()
    {
        ConntrackCleanup.Decide([Dns(Ready("10.244.1.1", 53))], [], Node).Should().Equal(new ConntrackDeletion("10.96.0.10", null, null));
    }

    [Fact]
    public void Tcp_services_and_unchanged_udp_services_need_nothing()
    {
        var tcp = Port("ns1", "web", "10.96.0.41", Ready("10.244.1.1"), Ready("10.244.1.2"));
        var dns = Dns(Ready("10.244.1.1", 53));
        ConntrackCleanup.Decide([tcp, dns], [tcp with { Endpoints = [] }, dns], Node).Should().BeEmpty();
    }

    [Fact]
    public void Deletions_become_conntrack_arguments()
    {
        new ConntrackDeletion("10.96.0.10", null, "10.244.1.2").Arguments().Should().Equal("-D", "-p", "udp", "--orig-dst", "10.96.0.10", "--dst-nat", "10.244.1.2");
        new ConntrackDeletion(null, 30053, null).Arguments().Should().Equal("-D", "-p", "udp", "--dport", "30053");
    }
}
