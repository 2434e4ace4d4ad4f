using System.IO.Pipelines;
using System.Net.WebSockets;

namespace K8sSharp.Streaming.Tests;

public sealed class WebSocketTunnelStreamTests
{
    [Fact]
    public async Task A_connection_dropped_without_a_close_message_ends_the_stream()
    {
        // The client's side of the connection ends without a close frame, as when kubectl port-forward is killed.
        var fromClient = new Pipe();
        await fromClient.Writer.CompleteAsync();
        var transport = new Duplex(fromClient.Reader.AsStream(), Stream.Null);
        using var socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true });
        await using var tunnel = new WebSocketTunnelStream(socket);

        var read = await tunnel.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        read.Should().Be(0);
    }

    private sealed class Duplex(Stream read, Stream write) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);

        public override void Flush() => write.Flush();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
