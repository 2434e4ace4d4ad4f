using System.IO.Pipelines;

namespace K8sSharp.Streaming.Spdy;

/// <summary>
/// One stream the client opened: its headers, what the client sends on it (<see cref="Input"/>, completed by FIN or
/// reset) and a way to send back (<see cref="Output"/>, which ends the stream with FIN when disposed or completed).
/// </summary>
public sealed class SpdyStream
{
    private readonly Pipe inbound = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly SpdyConnection connection;

    internal SpdyStream(SpdyConnection connection, int id, IReadOnlyDictionary<string, string> headers)
    {
        this.connection = connection;
        Id = id;
        Headers = headers;
        Output = new OutputStream(this);
    }

    public int Id { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public Stream Input => inbound.Reader.AsStream();

    public Stream Output { get; }

    internal async Task ReceiveAsync(byte[] data, bool fin)
    {
        if (data.Length > 0)
        {
            await inbound.Writer.WriteAsync(data);
        }
        if (fin)
        {
            await inbound.Writer.CompleteAsync();
        }
    }

    internal void Reset() => inbound.Writer.Complete();

    /// <summary>Ends this side of the stream (FIN) without data.</summary>
    public Task CloseAsync() => ((OutputStream)Output).CloseAsync();

    private sealed class OutputStream(SpdyStream stream) : NonSeekableStream
    {
        private const int MaxChunk = 32 * 1024;
        private int closed;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            for (var offset = 0; offset < buffer.Length; offset += MaxChunk)
            {
                var chunk = buffer.Slice(offset, Math.Min(MaxChunk, buffer.Length - offset)).ToArray();
                await stream.connection.SendAsync(SpdyFrame.Data(stream.Id, 0, chunk), cancellationToken);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public async Task CloseAsync()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                await stream.connection.SendAsync(SpdyFrame.Data(stream.Id, SpdyFrame.FlagFin, []), CancellationToken.None);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await CloseAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The connection is gone; nothing left to finish.
            }
            await base.DisposeAsync();
        }

        public override bool CanRead => false;

        public override bool CanWrite => true;
    }
}
