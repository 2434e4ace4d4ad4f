using System.Net;
using K8sSharp.Proxy.Dns;

namespace K8sSharp.Proxy.Tests;

/// <summary>RFC 1035 encoding and decoding, byte-exact where the RFC fixes the bytes.</summary>
public sealed class DnsWireTests
{
    /// <summary>A query for "a.cluster.local" type A, RD set, id 0x1234, as any stub resolver sends it.</summary>
    private static readonly byte[] Query =
    [
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        1, (byte)'a', 7, (byte)'c', (byte)'l', (byte)'u', (byte)'s', (byte)'t', (byte)'e', (byte)'r', 5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0,
        0x00, 0x01, 0x00, 0x01,
    ];

    [Fact]
    public void A_stub_query_decodes()
    {
        var message = DnsReader.Decode(Query);

        message.Id.Should().Be(0x1234);
        message.IsResponse.Should().BeFalse();
        message.RecursionDesired.Should().BeTrue();
        message.Questions.Should().Equal(new DnsQuestion("a.cluster.local", DnsType.A));
    }

    [Fact]
    public void The_same_query_encodes_to_the_same_bytes()
    {
        DnsWriter.Encode(DnsReader.Decode(Query)).Should().Equal(Query);
    }

    [Fact]
    public void Every_record_type_round_trips_and_names_are_compressed()
    {
        var message = new DnsMessage
        {
            Id = 7,
            IsResponse = true,
            Authoritative = true,
            Rcode = DnsRcode.NxDomain,
            Questions = [new DnsQuestion("web.ns.svc.cluster.local", DnsType.ANY)],
            Answers =
            [
                new DnsRecord("web.ns.svc.cluster.local", DnsType.A, 5, new AddressData(IPAddress.Parse("10.96.0.5"))),
                new DnsRecord("web.ns.svc.cluster.local", DnsType.SRV, 5, new SrvData(0, 100, 80, "web.ns.svc.cluster.local")),
                new DnsRecord("5.0.96.10.in-addr.arpa", DnsType.PTR, 5, new NameData("web.ns.svc.cluster.local")),
                new DnsRecord("dns-version.cluster.local", DnsType.TXT, 5, new TxtData(["1.1.0"])),
            ],
            Authority = [new DnsRecord("cluster.local", DnsType.SOA, 5, new SoaData("ns.dns.cluster.local", "hostmaster.cluster.local", 42, 7200, 1800, 86400, 5))],
        };

        var bytes = DnsWriter.Encode(message);
        var decoded = DnsReader.Decode(bytes);

        decoded.Should().BeEquivalentTo(message, o => o.RespectingRuntimeTypes());
        // The service name (25 bytes of labels) is written once; its other 5 uses are 2-byte pointers.
        bytes.Length.Should().BeLessThan(200);
    }

    [Fact]
    public void A_compression_pointer_loop_is_a_format_error_not_a_hang()
    {
        byte[] loop = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];

        FluentActions.Invoking(() => DnsReader.Decode(loop)).Should().Throw<DnsFormatException>();
    }

    [Fact]
    public void A_truncated_message_is_a_format_error()
    {
        FluentActions.Invoking(() => DnsReader.Decode(Query[..20])).Should().Throw<DnsFormatException>();
    }

    [Fact]
    public void The_OPT_record_sets_the_udp_size_the_client_accepts()
    {
        var query = new DnsMessage { Additional = [new DnsRecord("", DnsType.OPT, 0, new RawData([]), Class: 1232)] };

        DnsReader.Decode(DnsWriter.Encode(query)).MaxUdpSize.Should().Be(1232);
        new DnsMessage().MaxUdpSize.Should().Be(512);
    }
}
