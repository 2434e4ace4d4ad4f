using System.Buffers.Binary;

namespace K8sSharp.Streaming.Spdy;

/// <summary>SPDY/3 control frame types used here (draft-mbelshe-httpbis-spdy-00, section 2.6).</summary>
public enum SpdyControlType : ushort
{
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}

/// <summary>
/// One frame: a control frame (type, flags, payload) or a data frame (stream id, flags, payload). The 8-byte header
/// is <c>C|version(15)|type(16)|flags(8)|length(24)</c> for control frames and <c>C=0|stream(31)|flags(8)|length(24)</c>
/// for data.
/// </summary>
public sealed record SpdyFrame(bool IsControl, SpdyControlType Type, int StreamId, byte Flags, byte[] Payload)
{
    public const byte FlagFin = 0x01;
    private const ushort Version = 3;
    private const int MaxPayload = 0xffffff;

    public bool Fin => (Flags & FlagFin) != 0;

    public static SpdyFrame Control(SpdyControlType type, byte flags, byte[] payload) => new(true, type, 0, flags, payload);

    public static SpdyFrame Data(int streamId, byte flags, byte[] payload) => new(false, 0, streamId, flags, payload);

    /// <summary>Reads one frame, or null at a clean end of the connection.</summary>
    public static async Task<SpdyFrame?> ReadAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[8];
        if (!await ReadExactlyOrEndAsync(stream, header, ct))
        {
            return null;
        }
        var flags = header[4];
        var length = (header[5] << 16) | (header[6] << 8) | header[7];
        var payload = new byte[length];
        if (length > 0 && !await ReadExactlyOrEndAsync(stream, payload, ct))
        {
            throw new EndOfStreamException("the SPDY connection ended inside a frame");
        }
        if ((header[0] & 0x80) != 0)
        {
            var type = (SpdyControlType)BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
            return new SpdyFrame(true, type, StreamIdOf(type, payload), flags, payload);
        }
        return new SpdyFrame(false, 0, BinaryPrimitives.ReadInt32BigEndian(header) & 0x7fffffff, flags, payload);
    }

    public byte[] Encode()
    {
        if (Payload.Length > MaxPayload)
        {
            throw new ArgumentException("SPDY frame payload over 16 MiB");
        }
        var frame = new byte[8 + Payload.Length];
        if (IsControl)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8000 | Version);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)Type);
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(frame, StreamId & 0x7fffffff);
        }
        frame[4] = Flags;
        frame[5] = (byte)(Payload.Length >> 16);
        frame[6] = (byte)(Payload.Length >> 8);
        frame[7] = (byte)Payload.Length;
        Payload.CopyTo(frame, 8);
        return frame;
    }

    /// <summary>The stream a control frame is about (its first 31 bits for the per-stream types), else 0.</summary>
    private static int StreamIdOf(SpdyControlType type, byte[] payload) =>
        type is SpdyControlType.SynStream or SpdyControlType.SynReply or SpdyControlType.RstStream or SpdyControlType.Headers or SpdyControlType.WindowUpdate
        && payload.Length >= 4
            ? BinaryPrimitives.ReadInt32BigEndian(payload) & 0x7fffffff
            : 0;

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                return read == 0 ? false : throw new EndOfStreamException("the SPDY connection ended inside a frame header");
            }
            read += n;
        }
        return true;
    }
}
