using System.Net;
using K8sSharp.Proxy.Hosting;

namespace K8sSharp.Proxy.Tests;

public sealed class ProxyOptionsTests
{
    [Fact]
    public void Defaults_are_upstreams()
    {
        var options = ProxyOptions.Parse([]);

        options.ClusterCidr.Should().Be("10.244.0.0/16");
        options.ServiceCidr.Should().Be("10.96.0.0/12");
        options.MetricsBindAddress.Should().Be(new IPEndPoint(IPAddress.Loopback, 10249));
        options.HealthzBindAddress.Should().Be(new IPEndPoint(IPAddress.Any, 10256));
        options.SyncPeriod.Should().Be(TimeSpan.FromSeconds(30));
        options.ClusterDomain.Should().Be("cluster.local");
        options.ClusterDns.Should().Be(IPAddress.Parse("10.96.0.10"));
        options.DnsBind.Should().Be(((IPAddress?)null, 53));
        options.Cleanup.Should().BeFalse();
    }

    [Fact]
    public void Every_option_parses_in_both_spellings()
    {
        var options = ProxyOptions.Parse(
        [
            "--kubeconfig", "/k", "--hostname-override=Node-A", "--cluster-cidr", "10.200.0.0/16", "--service-cidr=10.100.0.0/16",
            "--metrics-bind-address", "127.0.0.1:1", "--healthz-bind-address=127.0.0.1:2", "--sync-period", "1m",
            "--min-sync-period=500ms", "--bind-address", "192.0.2.9", "--cluster-domain", "example.local.",
            "--cluster-dns", "10.100.0.10", "--dns-bind", ":5353", "--resolv-conf", "/r", "--cleanup",
        ]);

        options.Should().BeEquivalentTo(new ProxyOptions
        {
            Kubeconfig = "/k",
            HostnameOverride = "node-a",
            ClusterCidr = "10.200.0.0/16",
            ServiceCidr = "10.100.0.0/16",
            MetricsBindAddress = new IPEndPoint(IPAddress.Loopback, 1),
            HealthzBindAddress = new IPEndPoint(IPAddress.Loopback, 2),
            SyncPeriod = TimeSpan.FromMinutes(1),
            MinSyncPeriod = TimeSpan.FromMilliseconds(500),
            BindAddress = IPAddress.Parse("192.0.2.9"),
            ClusterDomain = "example.local",
            ClusterDns = IPAddress.Parse("10.100.0.10"),
            DnsBind = (null, 5353),
            ResolvConf = "/r",
            Cleanup = true,
        });
        ProxyOptions.Parse(["--dns-bind", "192.0.2.9:53"]).DnsBind.Should().Be((IPAddress.Parse("192.0.2.9"), 53));
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--sync-period=5x")]
    [InlineData("--cluster-cidr=nonsense")]
    [InlineData("--dns-bind=53")]
    public void Bad_options_are_rejected(string arg)
    {
        var error = FluentActions.Invoking(() => ProxyOptions.Parse([arg])).Should().Throw<Exception>().Which;
        error.Should().Match(e => e is ArgumentException || e is FormatException);
    }
}
