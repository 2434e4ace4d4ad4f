namespace K8sSharp.Proxy.Dns;

/// <summary>The RR types we answer or recognise (RFC 1035, 2782 SRV, 3596 AAAA, 6891 OPT).</summary>
internal enum DnsType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    ANY = 255,
}

/// <summary>Response codes (RFC 1035 4.1.1).</summary>
internal enum DnsRcode : byte
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
}

/// <summary>The IN class; the only one served.</summary>
internal static class DnsClass
{
    public const ushort In = 1;
}
