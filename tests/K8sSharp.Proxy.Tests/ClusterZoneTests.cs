using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Proxy.Dns;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>The cluster zone's answers, per the Kubernetes DNS specification, from preloaded listers.</summary>
public sealed class ClusterZoneTests
{
    private readonly ClusterZone zone;

    public ClusterZoneTests()
    {
        var services = new Indexer<V1Service>();
        var slices = new Indexer<V1EndpointSlice>();
        services.Upsert(Service("ns", "web", "10.96.0.5", ServicePort("http", 80), ServicePort("", 81)));
        services.Upsert(Service("ns", "db", "None", ServicePort("pg", 5432)));
        services.Upsert(Service("ns", "empty", "None", ServicePort("pg", 5432)));
        var external = Service("ns", "ext", "", ServicePort("http", 80));
        external.Spec.Type = "ExternalName";
        external.Spec.ExternalName = "example.org";
        services.Upsert(external);
        slices.Upsert(Slice("ns", "web", "web-a", [SlicePort("http", 8080)], Endpoint("10.244.1.7")));
        slices.Upsert(Slice("ns", "db", "db-a", [SlicePort("pg", 15432)],
            Endpoint("10.244.1.2", hostname: "db-0"), Endpoint("10.244.1.1"), Endpoint("10.244.1.3", ready: false)));
        zone = new ClusterZone("cluster.local.", new Lister<V1Service>(services), new Lister<V1EndpointSlice>(slices), serial: 42);
    }

    /// <summary>One line per answer record: "TYPE data".</summary>
    private List<string> Answers(string name, string type) =>
        [.. zone.Resolve(new DnsQuestion(name, Enum.Parse<DnsType>(type)))!.Answers.Select(Format)];

    private static string Format(DnsRecord record) => record.Data switch
    {
        AddressData a => $"{record.Type} {a.Address}",
        NameData n => $"{record.Type} {n.Name}",
        SrvData s => $"{record.Type} {s.Priority} {s.Weight} {s.Port} {s.Target}",
        TxtData t => $"{record.Type} {string.Join(',', t.Strings)}",
        _ => record.Type.ToString(),
    };

    [Theory]
    [InlineData("web.ns.svc.cluster.local", "A", "A 10.96.0.5")]
    [InlineData("WEB.NS.svc.cluster.local.", "A", "A 10.96.0.5")]
    [InlineData("db.ns.svc.cluster.local", "A", "A 10.244.1.1|A 10.244.1.2")]
    [InlineData("db-0.db.ns.svc.cluster.local", "A", "A 10.244.1.2")]
    [InlineData("10-244-1-1.db.ns.svc.cluster.local", "A", "A 10.244.1.1")]
    [InlineData("_http._tcp.web.ns.svc.cluster.local", "SRV", "SRV 0 100 80 web.ns.svc.cluster.local")]
    [InlineData("_pg._tcp.db.ns.svc.cluster.local", "SRV", "SRV 0 50 15432 10-244-1-1.db.ns.svc.cluster.local|SRV 0 50 15432 db-0.db.ns.svc.cluster.local")]
    [InlineData("10-244-1-9.ns.pod.cluster.local", "A", "A 10.244.1.9")]
    [InlineData("5.0.96.10.in-addr.arpa", "PTR", "PTR web.ns.svc.cluster.local")]
    [InlineData("2.1.244.10.in-addr.arpa", "PTR", "PTR db-0.db.ns.svc.cluster.local")]
    [InlineData("7.1.244.10.in-addr.arpa", "PTR", "PTR 10-244-1-7.web.ns.svc.cluster.local")]
    [InlineData("ext.ns.svc.cluster.local", "A", "CNAME example.org")]
    [InlineData("dns-version.cluster.local", "TXT", "TXT 1.1.0")]
    [InlineData("cluster.local", "NS", "NS ns.dns.cluster.local")]
    public void Names_in_the_zone_answer_as_specified(string name, string type, string expected)
    {
        var answer = zone.Resolve(new DnsQuestion(name, Enum.Parse<DnsType>(type)))!;

        answer.Rcode.Should().Be(DnsRcode.NoError);
        string.Join('|', answer.Answers.Select(Format)).Should().Be(expected);
        answer.Answers.Should().OnlyContain(r => r.Ttl == ClusterZone.Ttl);
    }

    [Theory]
    [InlineData("nothing.ns.svc.cluster.local", "A")]
    [InlineData("empty.ns.svc.cluster.local", "A")]
    [InlineData("db-9.db.ns.svc.cluster.local", "A")]
    [InlineData("_nope._tcp.web.ns.svc.cluster.local", "SRV")]
    [InlineData("_http._udp.web.ns.svc.cluster.local", "SRV")]
    [InlineData("1-2-3.ns.pod.cluster.local", "A")]
    [InlineData("a.b.c.d.e.f.cluster.local", "A")]
    public void Unknown_names_are_NXDOMAIN_with_the_SOA(string name, string type)
    {
        var answer = zone.Resolve(new DnsQuestion(name, Enum.Parse<DnsType>(type)))!;

        answer.Rcode.Should().Be(DnsRcode.NxDomain);
        answer.Answers.Should().BeEmpty();
        answer.Authority.Should().ContainSingle().Which.Data.Should().Be(
            new SoaData("ns.dns.cluster.local", "hostmaster.cluster.local", 42, 7200, 1800, 86400, 5));
    }

    [Theory]
    [InlineData("web.ns.svc.cluster.local", "AAAA")]
    [InlineData("db.ns.svc.cluster.local", "AAAA")]
    [InlineData("web.ns.svc.cluster.local", "TXT")]
    [InlineData("10-244-1-9.ns.pod.cluster.local", "AAAA")]
    public void Existing_names_without_the_type_are_NOERROR_empty_with_the_SOA(string name, string type)
    {
        var answer = zone.Resolve(new DnsQuestion(name, Enum.Parse<DnsType>(type)))!;

        answer.Rcode.Should().Be(DnsRcode.NoError);
        answer.Answers.Should().BeEmpty();
        answer.Authority.Should().ContainSingle().Which.Type.Should().Be(DnsType.SOA);
    }

    [Fact]
    public void SRV_of_a_ClusterIP_service_carries_the_target_address()
    {
        var answer = zone.Resolve(new DnsQuestion("_http._tcp.web.ns.svc.cluster.local", DnsType.SRV))!;

        answer.Additional.Select(Format).Should().Equal("A 10.96.0.5");
    }

    [Fact]
    public void Not_ready_endpoints_are_not_published()
    {
        Answers("db.ns.svc.cluster.local", "A").Should().NotContain("A 10.244.1.3");
    }

    [Theory]
    [InlineData("example.org")]
    [InlineData("cluster.local.example.org")]
    [InlineData("9.9.9.9.in-addr.arpa")]
    public void Names_outside_the_zone_are_not_ours(string name)
    {
        zone.Resolve(new DnsQuestion(name, DnsType.A)).Should().BeNull();
    }
}
