using System.Text.Json.Nodes;
using K8sSharp.Kubelet.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Kubelet.Tests;

/// <summary>The CNI runtime side, with the plugins (a process edge) faked: what each plugin gets and in which order.</summary>
public sealed class PodNetworkTests : IDisposable
{
    private readonly string stateDir = Path.Combine(Path.GetTempPath(), "k8ssharp-cni-" + Guid.NewGuid().ToString("N"));
    private readonly FakePlugins plugins = new();

    public void Dispose()
    {
        if (Directory.Exists(stateDir))
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    private static PodNetworkRequest Request(JsonArray? ports = null) =>
        new("team", "web", "uid-1", "sandbox1", "/proc/42/ns/net", ports ?? []);

    private async Task<PodNetwork> ConfiguredAsync()
    {
        var network = new PodNetwork(plugins, "/opt/cni", "k8ss-test0", stateDir, NullLogger.Instance);
        await network.ConfigureAsync("10.244.9.0/24", CancellationToken.None);
        return network;
    }

    [Fact]
    public async Task Not_ready_until_configured_then_writes_the_conflist_and_lets_the_bridge_through_FORWARD()
    {
        var network = new PodNetwork(plugins, "/opt/cni", "k8ss-test0", stateDir, NullLogger.Instance);
        network.Ready.Should().BeFalse();
        var act = () => network.SetUpAsync(Request(), CancellationToken.None);
        await act.Should().ThrowAsync<CniException>();

        await network.ConfigureAsync("10.244.9.0/24", CancellationToken.None);

        network.Ready.Should().BeTrue();
        var conflist = JsonNode.Parse(File.ReadAllText(Path.Combine(stateDir, "net.d", "10-k8ssharp.conflist")))!;
        conflist["plugins"]![0]!["bridge"]!.GetValue<string>().Should().Be("k8ss-test0");
        conflist["plugins"]![0]!["ipam"]!["ranges"]![0]![0]!["subnet"]!.GetValue<string>().Should().Be("10.244.9.0/24");
        plugins.Calls.Where(c => c.Program == "iptables").Select(c => string.Join(' ', c.Args))
            .Should().Contain(a => a.StartsWith("-w -A FORWARD -i k8ss-test0", StringComparison.Ordinal))
            .And.Contain(a => a.StartsWith("-w -A FORWARD -o k8ss-test0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_runs_loopback_then_the_list_in_order_chaining_prevResult_and_returns_the_ip()
    {
        var network = await ConfiguredAsync();
        var ports = new JsonArray { new JsonObject { ["hostPort"] = 8080, ["containerPort"] = 80, ["protocol"] = "tcp" } };

        var ip = await network.SetUpAsync(Request(ports), CancellationToken.None);

        ip.Should().Be("10.244.9.7");
        var cni = plugins.Calls.Where(c => c.Program.StartsWith("/opt/cni/", StringComparison.Ordinal)).ToList();
        cni.Select(c => (Path.GetFileName(c.Program), c.Env["CNI_COMMAND"], c.Env["CNI_IFNAME"]))
            .Should().Equal(("loopback", "ADD", "lo"), ("bridge", "ADD", "eth0"), ("portmap", "ADD", "eth0"));
        cni[1].Env.Should().Contain(new Dictionary<string, string>
        {
            ["CNI_CONTAINERID"] = "sandbox1",
            ["CNI_NETNS"] = "/proc/42/ns/net",
            ["CNI_PATH"] = "/opt/cni",
        });
        cni[1].Env["CNI_ARGS"].Should().Contain("K8S_POD_NAMESPACE=team;K8S_POD_NAME=web");
        var bridgeInput = JsonNode.Parse(cni[1].Stdin!)!;
        bridgeInput["name"]!.GetValue<string>().Should().Be("k8ssharp-k8ss-test0");
        bridgeInput["prevResult"].Should().BeNull();
        var portmapInput = JsonNode.Parse(cni[2].Stdin!)!;
        portmapInput["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>().Should().Be("10.244.9.7/24");
        portmapInput["runtimeConfig"]!["portMappings"]![0]!["hostPort"]!.GetValue<int>().Should().Be(8080);
        network.PodIp("sandbox1").Should().Be("10.244.9.7");
    }

    [Fact]
    public async Task Del_runs_the_list_in_reverse_with_the_add_result_and_forgets_the_ip()
    {
        var network = await ConfiguredAsync();
        await network.SetUpAsync(Request(), CancellationToken.None);
        plugins.Calls.Clear();

        await network.TearDownAsync(Request(), CancellationToken.None);

        plugins.Calls.Select(c => (Path.GetFileName(c.Program), c.Env["CNI_COMMAND"])).Should().Equal(("portmap", "DEL"), ("bridge", "DEL"));
        JsonNode.Parse(plugins.Calls[1].Stdin!)!["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>().Should().Be("10.244.9.7/24");
        network.PodIp("sandbox1").Should().BeNull();
        plugins.Calls.Clear();
        await network.TearDownAsync(Request(), CancellationToken.None);
        plugins.Calls.Should().BeEmpty("a sandbox that is not attached needs no DEL");
    }

    [Fact]
    public async Task A_plugin_error_surfaces_its_message()
    {
        var network = await ConfiguredAsync();
        plugins.FailBridge = true;

        var act = () => network.SetUpAsync(Request(), CancellationToken.None);

        await act.Should().ThrowAsync<CniException>().WithMessage("plugin type=\"bridge\" failed (ADD): failed to allocate: no IP addresses available");
    }

    private sealed class FakePlugins : IProcessRunner
    {
        public List<(string Program, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Env, string? Stdin)> Calls { get; } = [];

        public bool FailBridge { get; set; }

        public Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string? stdin, CancellationToken cancellationToken)
        {
            Calls.Add((program, args, environment, stdin));
            if (program == "iptables")
            {
                return Task.FromResult(new ProcessResult(args.Contains("-C") ? 1 : 0, "", ""));
            }
            var type = Path.GetFileName(program);
            if (type == "bridge" && FailBridge)
            {
                return Task.FromResult(new ProcessResult(1, """{"code":11,"msg":"failed to allocate","details":"no IP addresses available"}""", ""));
            }
            if (environment["CNI_COMMAND"] == "DEL")
            {
                return Task.FromResult(new ProcessResult(0, "", ""));
            }
            var input = JsonNode.Parse(stdin!)!;
            var result = type switch
            {
                "bridge" => """{"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],"ips":[{"address":"10.244.9.7/24","gateway":"10.244.9.1"}]}""",
                "loopback" => """{"cniVersion":"1.0.0","ips":[{"address":"127.0.0.1/8"}]}""",
                _ => input["prevResult"]!.ToJsonString(),
            };
            return Task.FromResult(new ProcessResult(0, result, ""));
        }
    }
}
