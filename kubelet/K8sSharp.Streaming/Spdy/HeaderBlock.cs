using System.Buffers.Binary;
using System.Text;

namespace K8sSharp.Streaming.Spdy;

/// <summary>
/// A SPDY/3 name/value header block before compression: a 32-bit count, then per pair a 32-bit length and the
/// lower-case name, a 32-bit length and the value (several values of one name joined by NUL), all big-endian.
/// </summary>
public static class HeaderBlock
{
    public static byte[] Encode(IReadOnlyDictionary<string, string> headers)
    {
        using var buffer = new MemoryStream();
        WriteInt(buffer, headers.Count);
        foreach (var (name, value) in headers)
        {
            WriteString(buffer, name.ToLowerInvariant());
            WriteString(buffer, value);
        }
        return buffer.ToArray();
    }

    public static Dictionary<string, string> Decode(ReadOnlySpan<byte> block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var count = ReadInt(ref block);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref block);
            headers[name] = ReadString(ref block);
        }
        return headers;
    }

    private static void WriteInt(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt(stream, bytes.Length);
        stream.Write(bytes);
    }

    private static int ReadInt(ref ReadOnlySpan<byte> block)
    {
        if (block.Length < 4)
        {
            throw new InvalidDataException("truncated SPDY header block");
        }
        var value = BinaryPrimitives.ReadInt32BigEndian(block);
        block = block[4..];
        return value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> block)
    {
        var length = ReadInt(ref block);
        if (length < 0 || length > block.Length)
        {
            throw new InvalidDataException("truncated SPDY header block");
        }
        var value = Encoding.UTF8.GetString(block[..length]);
        block = block[length..];
        return value;
    }
}
