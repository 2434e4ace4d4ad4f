using System.IO.Compression;

namespace K8sSharp.Streaming.Spdy;

/// <summary>
/// SPDY/3 compresses every header block of one direction of a connection as one continuous zlib stream, each block
/// ending with a sync flush. Compressing without the preset dictionary is allowed (the zlib header then carries no
/// dictionary id, and Go's reader accepts that).
/// </summary>
public sealed class HeaderCompressor : IDisposable
{
    private readonly MemoryStream output = new();
    private readonly ZLibStream zlib;

    public HeaderCompressor() => zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true);

    public byte[] Compress(IReadOnlyDictionary<string, string> headers)
    {
        output.SetLength(0);
        zlib.Write(HeaderBlock.Encode(headers));
        zlib.Flush();
        return output.ToArray();
    }

    public void Dispose()
    {
        zlib.Dispose();
        output.Dispose();
    }
}

/// <summary>
/// Inflates the peer's header blocks, which are compressed against the SPDY/3 dictionary. .NET's inflater takes no
/// preset dictionary, so the dictionary is fed to it first as a stored (uncompressed) deflate block: the inflater's
/// window then holds exactly what a preset dictionary would have put there, and the dictionary bytes it outputs are
/// skipped. The 2-byte zlib header and the 4-byte dictionary id are stripped from the first block.
/// </summary>
public sealed class HeaderDecompressor : IDisposable
{
    private readonly FeedStream feed = new();
    private readonly DeflateStream inflater;
    private bool started;

    public HeaderDecompressor() => inflater = new DeflateStream(feed, CompressionMode.Decompress, leaveOpen: true);

    public Dictionary<string, string> Decompress(ReadOnlySpan<byte> compressed)
    {
        if (!started)
        {
            compressed = StripZlibHeader(compressed);
            feed.Append(StoredBlock(SpdyDictionary.Bytes));
            feed.Append(compressed);
            Skip(SpdyDictionary.Bytes.Length);
            started = true;
        }
        else
        {
            feed.Append(compressed);
        }
        return HeaderBlock.Decode(ReadAvailable());
    }

    private static ReadOnlySpan<byte> StripZlibHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || (data[0] & 0x0f) != 8)
        {
            throw new InvalidDataException("SPDY header block does not start with a zlib header");
        }
        var hasDictionary = (data[1] & 0x20) != 0;
        return data[(hasDictionary ? 6 : 2)..];
    }

    private static byte[] StoredBlock(byte[] content)
    {
        var block = new byte[5 + content.Length];
        block[0] = 0; // BFINAL=0, BTYPE=00 (stored); the rest of the byte is padding to the boundary
        var length = (ushort)content.Length;
        block[1] = (byte)length;
        block[2] = (byte)(length >> 8);
        block[3] = (byte)~length;
        block[4] = (byte)(~length >> 8);
        content.CopyTo(block, 5);
        return block;
    }

    private void Skip(int count)
    {
        var buffer = new byte[count];
        var done = 0;
        while (done < count)
        {
            var read = inflater.Read(buffer, done, count - done);
            if (read == 0)
            {
                throw new InvalidDataException("the SPDY dictionary could not be primed");
            }
            done += read;
        }
    }

    private byte[] ReadAvailable()
    {
        using var block = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = inflater.Read(buffer)) > 0)
        {
            block.Write(buffer, 0, read);
        }
        return block.ToArray();
    }

    public void Dispose()
    {
        inflater.Dispose();
        feed.Dispose();
    }

    /// <summary>A read-only stream of the bytes appended so far; empty (0 bytes) until more arrive.</summary>
    private sealed class FeedStream : NonSeekableStream
    {
        private readonly Queue<byte[]> chunks = new();
        private int offset;

        public void Append(ReadOnlySpan<byte> bytes) => chunks.Enqueue(bytes.ToArray());

        public override int Read(byte[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<byte> buffer)
        {
            if (!chunks.TryPeek(out var chunk))
            {
                return 0;
            }
            var n = Math.Min(buffer.Length, chunk.Length - offset);
            chunk.AsSpan(offset, n).CopyTo(buffer);
            offset += n;
            if (offset == chunk.Length)
            {
                chunks.Dequeue();
                offset = 0;
            }
            return n;
        }

        public override bool CanRead => true;

        public override bool CanWrite => false;
    }
}

/// <summary>The SPDY/3 header compression dictionary (embedded resource).</summary>
internal static class SpdyDictionary
{
    public static byte[] Bytes { get; } = Load();

    private static byte[] Load()
    {
        using var resource = typeof(SpdyDictionary).Assembly.GetManifestResourceStream("spdy3-dictionary.bin")
            ?? throw new InvalidOperationException("spdy3-dictionary.bin is not embedded");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    }
}
