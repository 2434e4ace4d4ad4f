using System.Net;
using System.Net.Sockets;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Proxy.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>
/// The DNS server over real UDP and TCP sockets on loopback. The "upstream resolver" is a second server of ours,
/// authoritative for upstream.test, so forwarding is checked end to end without leaving the machine.
/// </summary>
public sealed class DnsServerTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<DnsServer> servers = [];
    private readonly List<Task> running = [];
    private DnsServer cluster = null!;

    public Task InitializeAsync()
    {
        var upstream = Start("upstream.test", [Service("ns", "web", "10.96.0.99", ServicePort("http", 80))], []);
        var many = Enumerable.Range(1, 60).Select(i => Endpoint($"10.244.2.{i}")).ToArray();
        cluster = Start("cluster.local",
            [Service("ns", "web", "10.96.0.5", ServicePort("http", 80)), Service("ns", "big", "None", ServicePort("http", 80))],
            [Slice("ns", "big", "big-a", [SlicePort("http", 80)], many)],
            [upstream.UdpEndpoint]);
        return Task.CompletedTask;
    }

    private DnsServer Start(string zoneName, V1Service[] services, V1EndpointSlice[] slices, IReadOnlyList<IPEndPoint>? upstreams = null)
    {
        var serviceIndex = new Indexer<V1Service>();
        var sliceIndex = new Indexer<V1EndpointSlice>();
        foreach (var s in services)
        {
            serviceIndex.Upsert(s);
        }
        foreach (var s in slices)
        {
            sliceIndex.Upsert(s);
        }
        var zone = new ClusterZone(zoneName, new Lister<V1Service>(serviceIndex), new Lister<V1EndpointSlice>(sliceIndex), 1);
        var server = new DnsServer(new IPEndPoint(IPAddress.Loopback, 0),
            new DnsHandler(zone, new DnsForwarder(upstreams ?? [], TimeSpan.FromSeconds(2))), NullLogger<DnsServer>.Instance);
        server.Bind();
        servers.Add(server);
        running.Add(server.RunAsync(stop.Token));
        return server;
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(running);
        servers.ForEach(s => s.Dispose());
    }

    public void Dispose() => stop.Dispose();

    private static byte[] Query(string name, DnsType type, ushort id = 0x4242) =>
        DnsWriter.Encode(new DnsMessage { Id = id, RecursionDesired = true, Questions = [new DnsQuestion(name, type)] });

    private static async Task<DnsMessage> AskUdpAsync(IPEndPoint server, byte[] query)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(server);
        await udp.SendAsync(query, timeout.Token);
        return DnsReader.Decode((await udp.ReceiveAsync(timeout.Token)).Buffer);
    }

    private static async Task<DnsMessage> AskTcpAsync(IPEndPoint server, byte[] query)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(server, timeout.Token);
        await DnsTcpFraming.WriteAsync(tcp.GetStream(), query, timeout.Token);
        return DnsReader.Decode((await DnsTcpFraming.ReadAsync(tcp.GetStream(), timeout.Token))!);
    }

    [Fact]
    public async Task Cluster_names_are_answered_authoritatively_over_udp_and_tcp()
    {
        foreach (var response in new[]
        {
            await AskUdpAsync(cluster.UdpEndpoint, Query("web.ns.svc.cluster.local", DnsType.A)),
            await AskTcpAsync(cluster.TcpEndpoint, Query("web.ns.svc.cluster.local", DnsType.A)),
        })
        {
            response.Id.Should().Be(0x4242);
            response.IsResponse.Should().BeTrue();
            response.Authoritative.Should().BeTrue();
            response.RecursionDesired.Should().BeTrue();
            response.Answers.Should().ContainSingle().Which.Data.Should().Be(new AddressData(IPAddress.Parse("10.96.0.5")));
        }
    }

    [Fact]
    public async Task Other_names_are_forwarded_to_the_upstream_resolver()
    {
        var udp = await AskUdpAsync(cluster.UdpEndpoint, Query("web.ns.svc.upstream.test", DnsType.A, id: 77));
        var tcp = await AskTcpAsync(cluster.TcpEndpoint, Query("web.ns.svc.upstream.test", DnsType.A, id: 78));

        udp.Id.Should().Be(77);
        udp.Answers.Should().ContainSingle().Which.Data.Should().Be(new AddressData(IPAddress.Parse("10.96.0.99")));
        tcp.Id.Should().Be(78);
        tcp.Answers.Should().ContainSingle().Which.Data.Should().Be(new AddressData(IPAddress.Parse("10.96.0.99")));
    }

    [Fact]
    public async Task Unknown_upstream_names_come_back_as_the_upstream_says()
    {
        var response = await AskUdpAsync(cluster.UdpEndpoint, Query("nothing.ns.svc.upstream.test", DnsType.A));

        response.Rcode.Should().Be(DnsRcode.NxDomain);
        response.Authority.Should().ContainSingle().Which.Name.Should().Be("upstream.test");
    }

    [Fact]
    public async Task Without_a_reachable_upstream_the_answer_is_SERVFAIL()
    {
        var lonely = Start("cluster.local", [], [], [new IPEndPoint(IPAddress.Loopback, 9)]);

        var response = await AskUdpAsync(lonely.UdpEndpoint, Query("example.org", DnsType.A));

        response.Rcode.Should().Be(DnsRcode.ServFail);
    }

    [Fact]
    public async Task A_udp_answer_too_large_is_truncated_and_tcp_carries_it_whole()
    {
        var udp = await AskUdpAsync(cluster.UdpEndpoint, Query("big.ns.svc.cluster.local", DnsType.A));
        var tcp = await AskTcpAsync(cluster.TcpEndpoint, Query("big.ns.svc.cluster.local", DnsType.A));

        udp.Truncated.Should().BeTrue();
        udp.Answers.Should().BeEmpty();
        tcp.Truncated.Should().BeFalse();
        tcp.Answers.Should().HaveCount(60);
    }

    [Fact]
    public async Task A_multi_question_query_is_a_format_error()
    {
        var query = DnsWriter.Encode(new DnsMessage
        {
            Id = 9,
            Questions = [new DnsQuestion("a.cluster.local", DnsType.A), new DnsQuestion("b.cluster.local", DnsType.A)],
        });

        (await AskUdpAsync(cluster.UdpEndpoint, query)).Rcode.Should().Be(DnsRcode.FormErr);
    }

    [Fact]
    public void Resolv_conf_nameservers_become_upstreams_minus_our_own_address()
    {
        var upstreams = UpstreamResolvers.FromResolvConf(
            "# comment\nsearch example.org\nnameserver 10.255.255.53\nnameserver\t10.96.0.10\nnameserver bogus\noptions ndots:5\n",
            [IPAddress.Parse("10.96.0.10")]);

        upstreams.Should().Equal(new IPEndPoint(IPAddress.Parse("10.255.255.53"), 53));
    }
}
