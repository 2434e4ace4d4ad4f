using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace K8sSharp.Streaming.RemoteCommand;

/// <summary>
/// exec/attach over WebSocket (<c>v5.channel.k8s.io</c>, also <c>v4.channel.k8s.io</c>): binary messages whose first
/// byte is the channel: 0 stdin, 1 stdout, 2 stderr, 3 error (the final Status), 4 resize (JSON), and in v5 255
/// "close": <c>[255, 0]</c> means stdin is done. The session ends with the Status on channel 3 and a close frame.
/// </summary>
public static class WebSocketRemoteCommand
{
    public static readonly string[] Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    private const byte StdinChannel = 0, StdoutChannel = 1, StderrChannel = 2, ErrorChannel = 3, ResizeChannel = 4, CloseChannel = 255;

    public static async Task ServeAsync(WebSocket socket, RemoteCommandOptions options, RemoteCommandRunner run, CancellationToken ct)
    {
        using var sendLock = new SemaphoreSlim(1, 1);
        var stdin = options.Stdin ? new System.IO.Pipelines.Pipe() : null;
        var resizes = Channel.CreateUnbounded<TerminalSize>();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = ReadClientAsync(socket, stdin?.Writer, resizes.Writer, session.Token);
        var streams = new RemoteCommandStreams
        {
            Stdin = stdin?.Reader.AsStream(),
            Stdout = options.Stdout ? new ChannelStream(socket, StdoutChannel, sendLock) : null,
            Stderr = options.Stderr ? new ChannelStream(socket, StderrChannel, sendLock) : null,
            Tty = options.Tty,
            Resizes = resizes.Reader,
        };
        byte[] status;
        try
        {
            status = ExitStatus.For(await run(streams, session.Token));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            status = ExitStatus.ForError(e.Message);
        }
        await SendAsync(socket, ErrorChannel, status, sendLock, CancellationToken.None);
        await CloseAsync(socket);
        // The client answers the close; cancelling a pending receive earlier would abort the socket instead.
        if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)) != reading)
        {
            await session.CancelAsync();
        }
        await reading;
    }

    private static async Task ReadClientAsync(WebSocket socket, System.IO.Pipelines.PipeWriter? stdin, ChannelWriter<TerminalSize> resizes, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var payload = message.ToArray();
                message.SetLength(0);
                await DispatchAsync(payload, stdin, resizes, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The session ended or the client went away.
        }
        finally
        {
            if (stdin is not null)
            {
                await stdin.CompleteAsync();
            }
            resizes.TryComplete();
        }
    }

    private static async Task DispatchAsync(byte[] payload, System.IO.Pipelines.PipeWriter? stdin, ChannelWriter<TerminalSize> resizes, CancellationToken ct)
    {
        if (payload.Length == 0)
        {
            return;
        }
        switch (payload[0])
        {
            case StdinChannel when stdin is not null:
                await stdin.WriteAsync(payload.AsMemory(1), ct);
                break;
            case ResizeChannel:
                if (JsonSerializer.Deserialize<TerminalSize>(payload.AsSpan(1)) is { } size)
                {
                    resizes.TryWrite(size);
                }
                break;
            case CloseChannel when payload.Length > 1 && payload[1] == StdinChannel && stdin is not null:
                await stdin.CompleteAsync();
                break;
        }
    }

    private static async Task SendAsync(WebSocket socket, byte channel, ReadOnlyMemory<byte> data, SemaphoreSlim sendLock, CancellationToken ct)
    {
        var message = new byte[data.Length + 1];
        message[0] = channel;
        data.CopyTo(message.AsMemory(1));
        await sendLock.WaitAsync(ct);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, ct);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            // Already gone.
        }
    }

    /// <summary>Writes go out as messages on one channel.</summary>
    private sealed class ChannelStream(WebSocket socket, byte channel, SemaphoreSlim sendLock) : NonSeekableStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(SendAsync(socket, channel, buffer, sendLock, cancellationToken));

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            SendAsync(socket, channel, buffer.AsMemory(offset, count), sendLock, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override bool CanRead => false;

        public override bool CanWrite => true;
    }
}
