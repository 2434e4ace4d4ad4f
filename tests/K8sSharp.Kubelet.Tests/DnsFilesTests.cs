using k8s.Models;
using K8sSharp.Kubelet.Pods;

namespace K8sSharp.Kubelet.Tests;

public sealed class DnsFilesTests
{
    private static readonly ResolvConf Host = ResolvConf.Parse("nameserver 192.0.2.53\nsearch corp.example\noptions edns0\n");

    [Fact]
    public void ClusterFirst_uses_the_cluster_dns_and_namespace_search_path()
    {
        var resolv = DnsFiles.PodResolvConf(TestPods.Pod(ns: "team"), "10.96.0.10", "cluster.local", Host).Render();

        resolv.Should().Be("nameserver 10.96.0.10\nsearch team.svc.cluster.local svc.cluster.local cluster.local corp.example\noptions ndots:5\n");
    }

    [Theory]
    [InlineData("Default", false, "nameserver 192.0.2.53\nsearch corp.example\noptions edns0\n")]
    [InlineData("ClusterFirst", true, "nameserver 192.0.2.53\nsearch corp.example\noptions edns0\n")]
    [InlineData("ClusterFirstWithHostNet", true, "nameserver 10.96.0.10\nsearch team.svc.cluster.local svc.cluster.local cluster.local corp.example\noptions ndots:5\n")]
    public void Policies_choose_host_or_cluster_dns(string policy, bool hostNetwork, string expected)
    {
        var pod = TestPods.Pod(ns: "team");
        pod.Spec.DnsPolicy = policy;
        pod.Spec.HostNetwork = hostNetwork;

        DnsFiles.PodResolvConf(pod, "10.96.0.10", "cluster.local", Host).Render().Should().Be(expected);
    }

    [Fact]
    public void None_takes_only_dnsConfig_and_options_override_by_name()
    {
        var pod = TestPods.Pod();
        pod.Spec.DnsPolicy = "None";
        pod.Spec.DnsConfig = new V1PodDNSConfig
        {
            Nameservers = ["1.1.1.1"],
            Searches = ["a.example", "a.example"],
            Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "2" }, new V1PodDNSConfigOption { Name = "rotate" }],
        };

        DnsFiles.PodResolvConf(pod, "10.96.0.10", "cluster.local", Host).Render()
            .Should().Be("nameserver 1.1.1.1\nsearch a.example\noptions ndots:2 rotate\n");

        pod.Spec.DnsPolicy = "ClusterFirst";
        DnsFiles.PodResolvConf(pod, "10.96.0.10", "cluster.local", Host).Options.Should().Equal("ndots:2", "rotate");
    }

    [Fact]
    public void Hosts_file_has_the_pod_ip_fqdn_and_host_aliases()
    {
        var pod = TestPods.Pod("web-0", "team");
        pod.Spec.Hostname = "web-0";
        pod.Spec.Subdomain = "web";
        pod.Spec.HostAliases = [new V1HostAlias { Ip = "10.1.2.3", Hostnames = ["foo.local", "bar.local"] }];

        var hosts = DnsFiles.HostsFile(pod, "10.244.0.7", "cluster.local");

        hosts.Should().StartWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n");
        hosts.Should().Contain("10.244.0.7\tweb-0.web.team.svc.cluster.local\tweb-0\n");
        hosts.Should().EndWith("\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n");
    }

    [Fact]
    public void Hostname_is_the_pod_name_cut_to_63_characters_without_a_trailing_dash()
    {
        var name = new string('a', 62) + "-b";
        DnsFiles.PodHostname(TestPods.Pod(name), "cluster.local").Should().Be((new string('a', 62), null));
    }
}
