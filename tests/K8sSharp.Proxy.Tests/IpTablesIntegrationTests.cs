using K8sSharp.Proxy.Conntrack;
using K8sSharp.Proxy.Health;
using K8sSharp.Proxy.IpTables;
using K8sSharp.Proxy.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>A test that needs root (network namespaces, iptables); skipped, saying so, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root (creates a network namespace and runs iptables in it)";
        }
    }
}

/// <summary>
/// The proxier against the real iptables-restore, inside a network namespace created for the test (so the host's
/// rules are never touched), deleted afterwards.
/// </summary>
public sealed class IpTablesIntegrationTests : IAsyncLifetime
{
    private readonly string netns = "k8ss-px-it-" + Guid.NewGuid().ToString("N")[..8];
    private CommandRunner runner = null!;
    private IpTablesClient iptables = null!;

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            return;
        }
        (await new CommandRunner().RunAsync("ip", ["netns", "add", netns], null, CancellationToken.None)).ExitCode.Should().Be(0);
        runner = new CommandRunner(["ip", "netns", "exec", netns]);
        iptables = new IpTablesClient(runner);
    }

    public async Task DisposeAsync()
    {
        if (Environment.UserName == "root")
        {
            await new CommandRunner().RunAsync("ip", ["netns", "delete", netns], null, CancellationToken.None);
        }
    }

    private Proxier Proxier(Func<IReadOnlyList<ProxiedServicePort>> ports, ProxyMetrics metrics) => new(
        new ProxierConfig(Node, "10.244.0.0/16", "10.96.0.0/12"), iptables, new ConntrackCleaner(runner, NullLogger<ConntrackCleaner>.Instance), ports,
        new ProxyHealth(TimeProvider.System, TimeSpan.FromMinutes(1)), metrics, TimeProvider.System, NullLogger<Proxier>.Instance);

    [RootFact]
    public async Task Rules_are_applied_updated_and_cleaned_up_with_the_real_iptables()
    {
        var web = Port("ns1", "svc1", "10.96.0.41", Ready("10.244.1.1"), Ready("10.244.1.2")) with
        {
            NodePort = 30001,
            LoadBalancerIps = ["192.168.1.10"],
            LoadBalancerSourceRanges = ["203.0.113.0/24"],
        };
        var gone = Port("ns2", "svc2", "10.96.0.42", Ready("10.244.1.3"));
        IReadOnlyList<ProxiedServicePort> current = [web, gone];
        var registry = Metrics.NewCustomRegistry();
        var proxier = Proxier(() => current, new ProxyMetrics(registry));

        await proxier.SyncAsync(CancellationToken.None);
        var nat = await iptables.SaveAsync("nat", CancellationToken.None);
        nat.Should().Contain("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");
        nat.Should().Contain("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING");
        nat.Should().Contain("--dport 30001 -j KUBE-EXT-XPGD46QRK7WJZT7O");
        nat.Should().Contain("-j DNAT --to-destination 10.244.1.2:80");
        nat.Should().Contain(ChainNames.ServicePort(gone.Name));
        var filter = await iptables.SaveAsync("filter", CancellationToken.None);
        filter.Should().Contain("-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD");
        filter.Should().Contain("-A INPUT -m comment --comment \"kubernetes load balancer firewall\" -m conntrack --ctstate NEW -j KUBE-PROXY-FIREWALL");
        filter.Should().MatchRegex("-A KUBE-PROXY-FIREWALL -d 192.168.1.10/32 .*--dport 80 -j DROP");
        nat.Should().Contain("-A KUBE-FW-XPGD46QRK7WJZT7O -s 203.0.113.0/24 ");

        using (var text = new MemoryStream())
        {
            await registry.CollectAndExportAsTextAsync(text);
            var metrics = System.Text.Encoding.UTF8.GetString(text.ToArray());
            metrics.Should().Contain("kubeproxy_sync_proxy_rules_duration_seconds_count 1");
            metrics.Should().MatchRegex("kubeproxy_sync_proxy_rules_iptables_total\\{table=\"nat\"\\} [1-9]");
            metrics.Should().Contain("kubeproxy_sync_proxy_rules_last_timestamp_seconds");
        }

        // Another program inserts a rule above our jumps; the next full sync moves ours back to the top.
        (await runner.RunAsync("iptables", ["-w", "-I", "OUTPUT", "-o", "lo", "-j", "ACCEPT"], null, CancellationToken.None)).ExitCode.Should().Be(0);
        await Proxier(() => current, new ProxyMetrics(Metrics.NewCustomRegistry())).SyncAsync(CancellationToken.None);
        var output = (await iptables.ListRulesAsync("filter", "OUTPUT", CancellationToken.None)).Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal)).ToList();
        output.Take(3).Should().OnlyContain(l => l.Contains("-j KUBE-", StringComparison.Ordinal), "our jumps are first again");
        output.Should().ContainSingle(l => l.Contains("-o lo -j ACCEPT", StringComparison.Ordinal), "the other rule is kept");

        current = [web];
        await proxier.SyncAsync(CancellationToken.None);
        await proxier.SyncAsync(CancellationToken.None);
        nat = await iptables.SaveAsync("nat", CancellationToken.None);
        nat.Should().NotContain(ChainNames.ServicePort(gone.Name), "the removed service's chains were deleted");
        nat.Should().NotContain("10.244.1.3");
        CountLines(nat, "-A PREROUTING ").Should().Be(1, "jump rules are inserted once, however often we sync");
        nat.Should().Contain("-j DNAT --to-destination 10.244.1.1:80", "a partial sync keeps the unchanged service's chains");

        current = [web with { Endpoints = [Ready("10.244.1.1")] }];
        await proxier.SyncAsync(CancellationToken.None);
        nat = await iptables.SaveAsync("nat", CancellationToken.None);
        nat.Should().NotContain("10.244.1.2", "the removed endpoint's chain was deleted by the partial sync");
        nat.Should().Contain("-j DNAT --to-destination 10.244.1.1:80");
        using (var text = new MemoryStream())
        {
            await registry.CollectAndExportAsTextAsync(text);
            var metrics = System.Text.Encoding.UTF8.GetString(text.ToArray());
            metrics.Should().Contain("kubeproxy_sync_full_proxy_rules_duration_seconds_count 1");
            metrics.Should().Contain("kubeproxy_sync_partial_proxy_rules_duration_seconds_count 3");
        }

        await RuleCleanup.RunAsync(iptables, CancellationToken.None);
        var all = await iptables.SaveAsync("nat", CancellationToken.None) + await iptables.SaveAsync("filter", CancellationToken.None);
        all.Should().NotContain("KUBE-");
    }

    private static int CountLines(string text, string prefix) => text.Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal));
}
