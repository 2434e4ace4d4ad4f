using System.Net;
using System.Net.Sockets;
using System.Text;
using K8sSharp.Streaming.PortForward;
using K8sSharp.Streaming.Spdy;

namespace K8sSharp.Streaming.Tests;

/// <summary>portforward.k8s.io sessions against a real TCP echo server on loopback standing in for the pod.</summary>
public sealed class PortForwardTests : IAsyncLifetime, IDisposable
{
    private readonly TcpListener pod = new(IPAddress.Loopback, 0);
    private Task? serving;

    private int PodPort => ((IPEndPoint)pod.LocalEndpoint).Port;

    public Task InitializeAsync()
    {
        pod.Start();
        serving = EchoUppercaseAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        pod.Stop();
        await serving!.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => pod.Dispose();

    /// <summary>Answers each connection with its input upper-cased, closing after the client half-closes.</summary>
    private async Task EchoUppercaseAsync()
    {
        while (true)
        {
            var client = await pod.AcceptTcpClientAsync();
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var input = new MemoryStream();
                    await client.GetStream().CopyToAsync(input);
                    await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(input.ToArray()).ToUpperInvariant()));
                }
            });
        }
    }

    private static Task<Stream> DialLoopback(int port, CancellationToken ct) =>
        Task.Run<Stream>(async () =>
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
            return tcp.GetStream();
        }, ct);

    private static Dictionary<string, string> Headers(string type, int port, int request) =>
        new() { ["streamType"] = type, ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["requestID"] = request.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task A_forwarded_connection_carries_bytes_both_ways_and_finishes_with_fin()
    {
        await using var client = new SpdyTestClient();
        var session = new PortForwardSession(DialLoopback, "default/web");
        var run = session.ServeAsync(client.ServerTransport, CancellationToken.None);

        await client.OpenAsync(1, Headers("error", PodPort, 0));
        await client.OpenAsync(3, Headers("data", PodPort, 0));
        await client.SendDataAsync(3, Encoding.ASCII.GetBytes("hello pod"), fin: true);
        var others = new List<SpdyFrame>();
        var answer = await client.ReadStreamToEndAsync(3, others);

        Encoding.ASCII.GetString(answer).Should().Be("HELLO POD");
        others.Where(f => f.IsControl && f.Type == SpdyControlType.SynReply).Select(f => f.StreamId).Should().Equal(1, 3);
        await client.CloseAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_on_the_error_stream()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var client = new SpdyTestClient();
        var run = new PortForwardSession(DialLoopback, "default/web").ServeAsync(client.ServerTransport, CancellationToken.None);

        await client.OpenAsync(1, Headers("error", deadPort, 7));
        await client.OpenAsync(3, Headers("data", deadPort, 7));
        var error = await client.ReadStreamToEndAsync(1);

        Encoding.UTF8.GetString(error).Should().StartWith($"error forwarding port {deadPort} to pod default/web:");
        await client.CloseAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Pings_from_the_client_are_echoed()
    {
        await using var client = new SpdyTestClient();
        var run = new PortForwardSession(DialLoopback, "default/web").ServeAsync(client.ServerTransport, CancellationToken.None);

        await client.SendAsync(SpdyFrame.Control(SpdyControlType.Ping, 0, [0, 0, 0, 5]));
        var pong = await client.ReadAsync();

        pong!.Type.Should().Be(SpdyControlType.Ping);
        pong.Payload.Should().Equal(0, 0, 0, 5);
        await client.CloseAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
