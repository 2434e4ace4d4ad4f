using System.Buffers.Binary;
using System.Text;

namespace K8sSharp.Proxy.Dns;

/// <summary>
/// Encodes messages in RFC 1035 wire format, compressing names (4.1.4): every name suffix written once is later
/// replaced by a pointer to it.
/// </summary>
internal sealed class DnsWriter
{
    private readonly List<byte> buffer = new(512);
    private readonly Dictionary<string, int> names = new(StringComparer.OrdinalIgnoreCase);

    public static byte[] Encode(DnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new DnsWriter();
        writer.WriteHeader(message);
        foreach (var question in message.Questions)
        {
            writer.WriteName(question.Name);
            writer.WriteUInt16((ushort)question.Type);
            writer.WriteUInt16(question.Class);
        }
        foreach (var record in message.Answers.Concat(message.Authority).Concat(message.Additional))
        {
            writer.WriteRecord(record);
        }
        return [.. writer.buffer];
    }

    private void WriteHeader(DnsMessage m)
    {
        WriteUInt16(m.Id);
        var flags = (m.IsResponse ? 0x8000 : 0) | ((m.Opcode & 0xF) << 11) | (m.Authoritative ? 0x0400 : 0)
            | (m.Truncated ? 0x0200 : 0) | (m.RecursionDesired ? 0x0100 : 0) | (m.RecursionAvailable ? 0x0080 : 0) | ((int)m.Rcode & 0xF);
        WriteUInt16((ushort)flags);
        WriteUInt16((ushort)m.Questions.Count);
        WriteUInt16((ushort)m.Answers.Count);
        WriteUInt16((ushort)m.Authority.Count);
        WriteUInt16((ushort)m.Additional.Count);
    }

    private void WriteRecord(DnsRecord record)
    {
        WriteName(record.Name);
        WriteUInt16((ushort)record.Type);
        WriteUInt16(record.Class);
        WriteUInt32(record.Ttl);
        var lengthAt = buffer.Count;
        WriteUInt16(0);
        WriteData(record.Data);
        var length = buffer.Count - lengthAt - 2;
        buffer[lengthAt] = (byte)(length >> 8);
        buffer[lengthAt + 1] = (byte)length;
    }

    private void WriteData(DnsData data)
    {
        switch (data)
        {
            case AddressData a:
                buffer.AddRange(a.Address.GetAddressBytes());
                break;
            case NameData n:
                WriteName(n.Name);
                break;
            case SrvData s:
                WriteUInt16(s.Priority);
                WriteUInt16(s.Weight);
                WriteUInt16(s.Port);
                WriteName(s.Target);
                break;
            case SoaData s:
                WriteName(s.PrimaryNs);
                WriteName(s.Mailbox);
                WriteUInt32(s.Serial);
                WriteUInt32(s.Refresh);
                WriteUInt32(s.Retry);
                WriteUInt32(s.Expire);
                WriteUInt32(s.Minimum);
                break;
            case TxtData t:
                foreach (var text in t.Strings)
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    buffer.Add((byte)Math.Min(bytes.Length, 255));
                    buffer.AddRange(bytes.Take(255));
                }
                break;
            case RawData r:
                buffer.AddRange(r.Bytes);
                break;
            default:
                throw new ArgumentException("unknown record data " + data.GetType().Name, nameof(data));
        }
    }

    /// <summary>Writes labels until a suffix already written (then a pointer) or the root.</summary>
    private void WriteName(string name)
    {
        var rest = name.TrimEnd('.');
        while (rest.Length > 0)
        {
            if (names.TryGetValue(rest, out var offset))
            {
                WriteUInt16((ushort)(0xC000 | offset));
                return;
            }
            if (buffer.Count < 0x3FFF)
            {
                names[rest] = buffer.Count;
            }
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            var label = Encoding.ASCII.GetBytes(dot < 0 ? rest : rest[..dot]);
            if (label.Length is 0 or > 63)
            {
                throw new ArgumentException($"invalid DNS name \"{name}\"", nameof(name));
            }
            buffer.Add((byte)label.Length);
            buffer.AddRange(label);
            rest = dot < 0 ? string.Empty : rest[(dot + 1)..];
        }
        buffer.Add(0);
    }

    private void WriteUInt16(ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        buffer.AddRange(bytes);
    }

    private void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        buffer.AddRange(bytes);
    }
}
