using System.Net;

namespace K8sSharp.Proxy.Dns;

internal sealed record DnsQuestion(string Name, DnsType Type, ushort Class = DnsClass.In);

/// <summary>The typed payload of a resource record.</summary>
internal abstract record DnsData;

internal sealed record AddressData(IPAddress Address) : DnsData;

/// <summary>One domain name: CNAME, PTR and NS records.</summary>
internal sealed record NameData(string Name) : DnsData;

internal sealed record SrvData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsData;

internal sealed record SoaData(string PrimaryNs, string Mailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : DnsData;

internal sealed record TxtData(IReadOnlyList<string> Strings) : DnsData;

/// <summary>Any other type, kept as its RDATA bytes.</summary>
internal sealed record RawData(byte[] Bytes) : DnsData;

/// <summary>A resource record; for OPT the class carries the sender's UDP payload size (RFC 6891).</summary>
internal sealed record DnsRecord(string Name, DnsType Type, uint Ttl, DnsData Data, ushort Class = DnsClass.In);

/// <summary>
/// A DNS message (RFC 1035 4.1): header flags decoded into properties, and the four sections. Names are kept as
/// received (no trailing dot); compare them case-insensitively.
/// </summary>
internal sealed record DnsMessage
{
    public ushort Id { get; init; }

    public bool IsResponse { get; init; }

    public byte Opcode { get; init; }

    public bool Authoritative { get; init; }

    public bool Truncated { get; init; }

    public bool RecursionDesired { get; init; }

    public bool RecursionAvailable { get; init; }

    public DnsRcode Rcode { get; init; }

    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    public IReadOnlyList<DnsRecord> Authority { get; init; } = [];

    public IReadOnlyList<DnsRecord> Additional { get; init; } = [];

    /// <summary>The UDP payload size the sender accepts: its OPT record's, or the classic 512 bytes.</summary>
    public int MaxUdpSize => Additional.FirstOrDefault(r => r.Type == DnsType.OPT) is { } opt ? Math.Max(512, (int)opt.Class) : 512;
}
