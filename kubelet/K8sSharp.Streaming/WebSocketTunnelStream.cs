using System.Net.WebSockets;

namespace K8sSharp.Streaming;

/// <summary>
/// A byte stream over a WebSocket, as client-go's TunnelingConnection makes one for port-forward
/// (<c>SPDY/3.1+portforward.k8s.io</c>): every write is one binary message, reads concatenate the payloads of the
/// binary messages received, and a close message is the end of the stream.
/// </summary>
public sealed class WebSocketTunnelStream(WebSocket socket) : NonSeekableStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
            {
                return 0;
            }
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (WebSocketException e) when (e.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
            {
                // A client that is killed (Ctrl-C on kubectl port-forward) drops the connection without a close
                // message: that too is the end of the stream, not an error.
                return 0;
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return 0;
            }
            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new IOException("a tunnelled SPDY connection carries binary messages only");
            }
            if (result.Count > 0 || buffer.Length == 0)
            {
                return result.Count;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        socket.SendAsync(buffer, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or IOException)
            {
                // Already gone.
            }
        }
        await base.DisposeAsync();
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;
}
