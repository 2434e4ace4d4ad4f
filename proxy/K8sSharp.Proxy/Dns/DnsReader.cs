using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace K8sSharp.Proxy.Dns;

/// <summary>A message that is not valid RFC 1035 wire format.</summary>
internal sealed class DnsFormatException(string message) : Exception(message);

/// <summary>Decodes RFC 1035 wire format, following compression pointers (bounded, so a pointer loop cannot hang us).</summary>
internal sealed class DnsReader
{
    private readonly byte[] data;
    private int position;

    private DnsReader(byte[] data)
    {
        this.data = data;
    }

    public static DnsMessage Decode(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var reader = new DnsReader(data);
        var id = reader.ReadUInt16();
        var flags = reader.ReadUInt16();
        var counts = new[] { reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadUInt16() };
        var questions = new List<DnsQuestion>();
        for (var i = 0; i < counts[0]; i++)
        {
            questions.Add(new DnsQuestion(reader.ReadName(), (DnsType)reader.ReadUInt16(), reader.ReadUInt16()));
        }
        return new DnsMessage
        {
            Id = id,
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (byte)((flags >> 11) & 0xF),
            Authoritative = (flags & 0x0400) != 0,
            Truncated = (flags & 0x0200) != 0,
            RecursionDesired = (flags & 0x0100) != 0,
            RecursionAvailable = (flags & 0x0080) != 0,
            Rcode = (DnsRcode)(flags & 0xF),
            Questions = questions,
            Answers = reader.ReadRecords(counts[1]),
            Authority = reader.ReadRecords(counts[2]),
            Additional = reader.ReadRecords(counts[3]),
        };
    }

    private List<DnsRecord> ReadRecords(int count)
    {
        var records = new List<DnsRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadName();
            var type = (DnsType)ReadUInt16();
            var @class = ReadUInt16();
            var ttl = ReadUInt32();
            var length = ReadUInt16();
            Require(length);
            var end = position + length;
            records.Add(new DnsRecord(name, type, ttl, ReadData(type, length), @class));
            position = end;
        }
        return records;
    }

    private DnsData ReadData(DnsType type, int length) => type switch
    {
        DnsType.A when length == 4 => new AddressData(new IPAddress(ReadBytes(4))),
        DnsType.AAAA when length == 16 => new AddressData(new IPAddress(ReadBytes(16))),
        DnsType.CNAME or DnsType.PTR or DnsType.NS => new NameData(ReadName()),
        DnsType.SRV => new SrvData(ReadUInt16(), ReadUInt16(), ReadUInt16(), ReadName()),
        DnsType.SOA => new SoaData(ReadName(), ReadName(), ReadUInt32(), ReadUInt32(), ReadUInt32(), ReadUInt32(), ReadUInt32()),
        DnsType.TXT => ReadTxt(length),
        _ => new RawData(ReadBytes(length)),
    };

    private TxtData ReadTxt(int length)
    {
        var end = position + length;
        var strings = new List<string>();
        while (position < end)
        {
            var size = ReadByte();
            strings.Add(Encoding.UTF8.GetString(ReadBytes(size)));
        }
        return new TxtData(strings);
    }

    /// <summary>A possibly compressed name, as dotted text without the trailing dot ("" for the root).</summary>
    private string ReadName()
    {
        var labels = new List<string>();
        var cursor = position;
        var jumped = false;
        for (var hops = 0; ; hops++)
        {
            if (hops > 128 || cursor >= data.Length)
            {
                throw new DnsFormatException("bad name");
            }
            var length = data[cursor];
            if (length == 0)
            {
                cursor++;
                break;
            }
            if ((length & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= data.Length)
                {
                    throw new DnsFormatException("truncated pointer");
                }
                if (!jumped)
                {
                    position = cursor + 2;
                }
                jumped = true;
                cursor = ((length & 0x3F) << 8) | data[cursor + 1];
                continue;
            }
            if (length > 63 || cursor + 1 + length > data.Length)
            {
                throw new DnsFormatException("bad label");
            }
            labels.Add(Encoding.ASCII.GetString(data, cursor + 1, length));
            cursor += 1 + length;
        }
        if (!jumped)
        {
            position = cursor;
        }
        return string.Join('.', labels);
    }

    private byte ReadByte()
    {
        Require(1);
        return data[position++];
    }

    private byte[] ReadBytes(int count)
    {
        Require(count);
        var bytes = data.AsSpan(position, count).ToArray();
        position += count;
        return bytes;
    }

    private ushort ReadUInt16()
    {
        Require(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position));
        position += 2;
        return value;
    }

    private uint ReadUInt32()
    {
        Require(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position));
        position += 4;
        return value;
    }

    private void Require(int count)
    {
        if (position + count > data.Length)
        {
            throw new DnsFormatException("message truncated");
        }
    }
}
