using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using K8sSharp.Streaming.RemoteCommand;
using K8sSharp.Streaming.Spdy;

namespace K8sSharp.Streaming.Tests;

/// <summary>exec sessions over WebSocket (v5 channels) and SPDY, with a runner that upper-cases stdin and exits 3.</summary>
public sealed class RemoteCommandTests
{
    private static async Task<int> UppercaseStdinThenExit3(RemoteCommandStreams streams, CancellationToken ct)
    {
        var input = new MemoryStream();
        await streams.Stdin!.CopyToAsync(input, ct);
        await streams.Stdout!.WriteAsync(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(input.ToArray()).ToUpperInvariant()), ct);
        await streams.Stderr!.WriteAsync("done"u8.ToArray(), ct);
        return 3;
    }

    /// <summary>A server and a client WebSocket over a loopback TCP connection.</summary>
    private static async Task<(WebSocket Server, WebSocket Client, IDisposable Cleanup)> SocketPairAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        listener.Stop();
        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), isServer: true, "v5.channel.k8s.io", TimeSpan.FromSeconds(30));
        var clientSocket = WebSocket.CreateFromStream(client.GetStream(), isServer: false, "v5.channel.k8s.io", TimeSpan.FromSeconds(30));
        return (serverSocket, clientSocket, new Disposables(client, server, serverSocket, clientSocket));
    }

    [Fact]
    public async Task A_websocket_session_carries_stdin_stdout_stderr_and_ends_with_the_exit_status()
    {
        var (server, client, cleanup) = await SocketPairAsync();
        using var _ = cleanup;
        var options = RemoteCommandOptions.FromQuery(name => name is "input" or "output" or "error" ? "1" : null);
        var session = WebSocketRemoteCommand.ServeAsync(server, options, UppercaseStdinThenExit3, CancellationToken.None);

        await client.SendAsync(new byte[] { 0, (byte)'h', (byte)'i' }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await client.SendAsync(new byte[] { 255, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var messages = new List<byte[]>();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                break;
            }
            messages.Add(buffer[..result.Count]);
        }
        await session.WaitAsync(TimeSpan.FromSeconds(10));

        messages.Should().HaveCount(3);
        messages[0].Should().Equal(1, (byte)'H', (byte)'I');
        messages[1].Should().Equal(2, (byte)'d', (byte)'o', (byte)'n', (byte)'e');
        messages[2][0].Should().Be(3);
        var status = JsonNode.Parse(messages[2].AsSpan(1))!;
        status["reason"]!.GetValue<string>().Should().Be("NonZeroExitCode");
        status["details"]!["causes"]![0]!["message"]!.GetValue<string>().Should().Be("3");
    }

    [Fact]
    public async Task A_runner_failure_ends_the_session_with_a_failure_status()
    {
        var (server, client, cleanup) = await SocketPairAsync();
        using var _ = cleanup;
        var options = new RemoteCommandOptions(Stdin: false, Stdout: true, Stderr: false, Tty: false);
        var session = WebSocketRemoteCommand.ServeAsync(server, options, (_, _) => throw new InvalidOperationException("container not running"), CancellationToken.None);

        var buffer = new byte[4096];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await session.WaitAsync(TimeSpan.FromSeconds(10));

        buffer[0].Should().Be(3);
        JsonNode.Parse(buffer.AsSpan(1, result.Count - 1))!["message"]!.GetValue<string>().Should().Be("container not running");
    }

    [Fact]
    public async Task A_spdy_session_starts_once_its_streams_are_open_and_writes_the_status_on_the_error_stream()
    {
        await using var client = new SpdyTestClient();
        var options = new RemoteCommandOptions(Stdin: true, Stdout: true, Stderr: true, Tty: false);
        var session = SpdyRemoteCommand.ServeAsync(client.ServerTransport, options, UppercaseStdinThenExit3, CancellationToken.None);

        await client.OpenAsync(1, new() { ["streamType"] = "error" });
        await client.OpenAsync(3, new() { ["streamType"] = "stdin" });
        await client.OpenAsync(5, new() { ["streamType"] = "stdout" });
        await client.OpenAsync(7, new() { ["streamType"] = "stderr" });
        await client.SendDataAsync(3, "abc"u8.ToArray(), fin: true);
        var frames = new List<SpdyFrame>();
        var status = await client.ReadStreamToEndAsync(1, frames);
        await session.WaitAsync(TimeSpan.FromSeconds(10));

        Encoding.ASCII.GetString([.. frames.Where(f => !f.IsControl && f.StreamId == 5).SelectMany(f => f.Payload)]).Should().Be("ABC");
        JsonNode.Parse(status)!["reason"]!.GetValue<string>().Should().Be("NonZeroExitCode");
    }

    private sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
