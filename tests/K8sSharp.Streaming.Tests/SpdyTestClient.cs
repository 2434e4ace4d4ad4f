using System.Buffers.Binary;
using System.IO.Pipelines;
using K8sSharp.Streaming.Spdy;

namespace K8sSharp.Streaming.Tests;

/// <summary>A minimal SPDY client over an in-memory duplex pipe, standing in for kubectl's spdystream.</summary>
internal sealed class SpdyTestClient : IAsyncDisposable
{
    private readonly Pipe toServer = new();
    private readonly Pipe toClient = new();
    private readonly HeaderCompressor compressor = new();
    private readonly Stream fromServer;
    private readonly Stream sending;

    public SpdyTestClient()
    {
        ServerTransport = new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream());
        fromServer = toClient.Reader.AsStream();
        sending = toServer.Writer.AsStream();
    }

    public Stream ServerTransport { get; }

    public Task OpenAsync(int streamId, Dictionary<string, string> headers, bool fin = false)
    {
        var block = compressor.Compress(headers);
        var payload = new byte[10 + block.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId);
        block.CopyTo(payload, 10);
        return SendAsync(SpdyFrame.Control(SpdyControlType.SynStream, fin ? SpdyFrame.FlagFin : (byte)0, payload));
    }

    public Task SendDataAsync(int streamId, byte[] data, bool fin = false) =>
        SendAsync(SpdyFrame.Data(streamId, fin ? SpdyFrame.FlagFin : (byte)0, data));

    public async Task SendAsync(SpdyFrame frame)
    {
        await sending.WriteAsync(frame.Encode());
        await sending.FlushAsync();
    }

    public Task<SpdyFrame?> ReadAsync() => SpdyFrame.ReadAsync(fromServer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Reads frames until <paramref name="stream"/> finishes; returns its data.</summary>
    public async Task<byte[]> ReadStreamToEndAsync(int stream, List<SpdyFrame>? others = null)
    {
        using var data = new MemoryStream();
        while (await ReadAsync() is { } frame)
        {
            if (!frame.IsControl && frame.StreamId == stream)
            {
                data.Write(frame.Payload);
                if (frame.Fin)
                {
                    break;
                }
            }
            else
            {
                others?.Add(frame);
            }
        }
        return data.ToArray();
    }

    public async Task CloseAsync() => await toServer.Writer.CompleteAsync();

    public async ValueTask DisposeAsync()
    {
        compressor.Dispose();
        await toServer.Writer.CompleteAsync();
        await toClient.Reader.CompleteAsync();
    }

    private sealed class DuplexStream(Stream read, Stream write) : NonSeekableStream
    {
        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);

        public override void Flush() => write.Flush();

        public override async ValueTask DisposeAsync()
        {
            await read.DisposeAsync();
            await write.DisposeAsync();
            await base.DisposeAsync();
        }

        public override bool CanRead => true;

        public override bool CanWrite => true;
    }
}
