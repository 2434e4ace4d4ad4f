using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace K8sSharp.Streaming.Spdy;

/// <summary>
/// The server side of a SPDY/3.1 connection as Kubernetes uses it (moby/spdystream peers): the client opens every
/// stream with SYN_STREAM; each is answered with SYN_REPLY and handed to <c>onStream</c>; data frames feed the
/// stream's input; PINGs from the client are echoed; RST_STREAM ends a stream's input; GOAWAY or the end of the
/// transport ends the session. Flow control is not enforced, as spdystream does not enforce it either.
/// One writer at a time: frames are serialised on the transport.
/// </summary>
public sealed class SpdyConnection : IAsyncDisposable
{
    private readonly Stream transport;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly HeaderCompressor compressor = new();
    private readonly HeaderDecompressor decompressor = new();
    private readonly ConcurrentDictionary<int, SpdyStream> streams = new();

    public SpdyConnection(Stream transport) => this.transport = transport;

    /// <summary>
    /// Serves frames until the client goes away. <paramref name="onStream"/> runs for each new stream (after its
    /// SYN_REPLY) and must not block: long work belongs in its own task.
    /// </summary>
    public async Task RunAsync(Action<SpdyStream> onStream, CancellationToken ct)
    {
        try
        {
            while (await SpdyFrame.ReadAsync(transport, ct) is { } frame)
            {
                if (!await HandleAsync(frame, onStream, ct))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            foreach (var stream in streams.Values)
            {
                stream.Reset();
            }
        }
    }

    private async Task<bool> HandleAsync(SpdyFrame frame, Action<SpdyStream> onStream, CancellationToken ct)
    {
        if (!frame.IsControl)
        {
            if (streams.TryGetValue(frame.StreamId, out var target))
            {
                await target.ReceiveAsync(frame.Payload, frame.Fin);
            }
            return true;
        }
        switch (frame.Type)
        {
            case SpdyControlType.SynStream:
                // stream id (4), associated stream id (4), priority and slot (2), then the compressed header block.
                var headers = decompressor.Decompress(frame.Payload.AsSpan(10));
                var stream = new SpdyStream(this, frame.StreamId, headers);
                streams[frame.StreamId] = stream;
                await SendReplyAsync(frame.StreamId, ct);
                if (frame.Fin)
                {
                    await stream.ReceiveAsync([], fin: true);
                }
                onStream(stream);
                return true;
            case SpdyControlType.RstStream when streams.TryRemove(frame.StreamId, out var reset):
                reset.Reset();
                return true;
            case SpdyControlType.Headers:
                decompressor.Decompress(frame.Payload.AsSpan(4)); // keep the shared zlib context in step
                return true;
            case SpdyControlType.Ping when frame.Payload.Length == 4 && (BinaryPrimitives.ReadUInt32BigEndian(frame.Payload) & 1) == 1:
                await SendAsync(frame, ct);
                return true;
            case SpdyControlType.GoAway:
                return false;
            default:
                return true; // SETTINGS, WINDOW_UPDATE, NOOP, our own PING ids: nothing to do
        }
    }

    private Task SendReplyAsync(int streamId, CancellationToken ct)
    {
        var block = compressor.Compress(new Dictionary<string, string>());
        var payload = new byte[4 + block.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId);
        block.CopyTo(payload, 4);
        return SendAsync(SpdyFrame.Control(SpdyControlType.SynReply, 0, payload), ct);
    }

    internal async Task SendAsync(SpdyFrame frame, CancellationToken ct)
    {
        var bytes = frame.Encode();
        await writeLock.WaitAsync(ct);
        try
        {
            await transport.WriteAsync(bytes, ct);
            await transport.FlushAsync(ct);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        compressor.Dispose();
        decompressor.Dispose();
        writeLock.Dispose();
        await transport.DisposeAsync();
    }
}
