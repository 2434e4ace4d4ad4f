using System.Net;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.Dns;

/// <summary>
/// The records of the cluster domain, answered from the informers' caches (never a per-query API call), following the
/// Kubernetes DNS-based service discovery specification as CoreDNS's kubernetes plugin implements it:
/// <list type="bullet">
/// <item><c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c>: A = the cluster IP; headless: one A per ready endpoint; ExternalName: CNAME.</item>
/// <item><c>&lt;hostname or a-b-c-d&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c>: A of that endpoint.</item>
/// <item><c>_&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c>: SRV per named port (per endpoint when headless).</item>
/// <item><c>&lt;a-b-c-d&gt;.&lt;ns&gt;.pod.&lt;zone&gt;</c>: A a.b.c.d (CoreDNS's "pods insecure").</item>
/// <item><c>dns-version.&lt;zone&gt;</c>: TXT with the schema version.</item>
/// <item>PTR for service cluster IPs and endpoint addresses; other reverse names are not ours (forwarded).</item>
/// </list>
/// An unknown name in the zone is NXDOMAIN, a known name without records of the asked type NOERROR with no answers
/// (both with the zone's SOA in the authority section, for negative caching).
/// </summary>
internal sealed partial class ClusterZone(string zone, Lister<V1Service> services, Lister<V1EndpointSlice> slices, uint serial)
{
    public const uint Ttl = 5;
    public const string SchemaVersion = "1.1.0";

    public string Zone { get; } = zone.TrimEnd('.').ToLowerInvariant();

    /// <summary>The answer for a question in the cluster zone or a known reverse name; null when the name is not ours.</summary>
    public DnsAnswer? Resolve(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var name = question.Name.TrimEnd('.').ToLowerInvariant();
        if (name.EndsWith(".in-addr.arpa", StringComparison.Ordinal))
        {
            return ResolveReverse(question, name);
        }
        if (name != Zone && !name.EndsWith("." + Zone, StringComparison.Ordinal))
        {
            return null;
        }
        var labels = name == Zone ? [] : name[..^(Zone.Length + 1)].Split('.');
        var records = Lookup(question.Name, labels, question.Type);
        return records switch
        {
            null => Negative(DnsRcode.NxDomain),
            { Answers.Count: 0 } => Negative(DnsRcode.NoError),
            _ => records,
        };
    }

    /// <summary>The records at a name for the asked type; empty answers when the name exists without them; null when it does not exist.</summary>
    private DnsAnswer? Lookup(string asked, string[] labels, DnsType type)
    {
        Array.Reverse(labels);
        return labels switch
        {
            [] => Apex(asked, type),
            ["dns-version"] => Filter(type, DnsType.TXT, [new DnsRecord(asked, DnsType.TXT, Ttl, new TxtData([SchemaVersion]))]),
            ["svc", var ns, var svc] => ServiceRecords(asked, ns, svc, type),
            ["svc", var ns, var svc, var endpoint] => EndpointRecords(asked, ns, svc, endpoint, type),
            ["svc", var ns, var svc, var proto, var port] when proto.StartsWith('_') && port.StartsWith('_') =>
                type is DnsType.SRV or DnsType.ANY ? SrvRecords(asked, ns, svc, port[1..], proto[1..]) : Exists(SrvRecords(asked, ns, svc, port[1..], proto[1..])),
            ["pod", _, var dashed] => PodRecord(asked, dashed, type),
            _ => null,
        };
    }

    private DnsAnswer? Apex(string asked, DnsType type) => type switch
    {
        DnsType.SOA => DnsAnswer.Records([Soa()]),
        DnsType.NS => DnsAnswer.Records([new DnsRecord(asked, DnsType.NS, Ttl, new NameData("ns.dns." + Zone))]),
        _ => DnsAnswer.Records([]),
    };

    private static DnsAnswer? PodRecord(string asked, string dashed, DnsType type)
    {
        return IPAddress.TryParse(dashed.Replace('-', '.'), out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && dashed.Count(c => c == '-') == 3
            ? Filter(type, DnsType.A, [new DnsRecord(asked, DnsType.A, Ttl, new AddressData(ip))])
            : null;
    }

    /// <summary>Keeps the records when the question asks for their type (or ANY); otherwise an empty answer (NODATA).</summary>
    private static DnsAnswer Filter(DnsType asked, DnsType have, IReadOnlyList<DnsRecord> records) =>
        DnsAnswer.Records(asked == have || asked == DnsType.ANY ? records : []);

    /// <summary>The same existence, without answers: NODATA for a name that exists.</summary>
    private static DnsAnswer? Exists(DnsAnswer? answer) => answer is null ? null : DnsAnswer.Records([]);

    private DnsAnswer Negative(DnsRcode rcode) => new(rcode, [], [Soa()], []);

    private DnsRecord Soa() =>
        new(Zone, DnsType.SOA, Ttl, new SoaData("ns.dns." + Zone, "hostmaster." + Zone, serial, 7200, 1800, 86400, Ttl));

    private V1Service? Service(string ns, string name) => services.Get(ns, name);

    /// <summary>The service's endpoints that DNS publishes: ready ones, or all when publishNotReadyAddresses is set.</summary>
    private List<ServiceEndpoint> PublishedEndpoints(V1Service service)
    {
        var publishAll = service.Spec?.PublishNotReadyAddresses == true;
        var all = slices.List(service.Metadata.NamespaceProperty, new Dictionary<string, string> { [ServiceModel.ServiceNameLabel] = service.Metadata.Name });
        return [.. all.Where(s => s.AddressType == "IPv4")
            .SelectMany(s => (s.Endpoints ?? []).Where(e => e.Addresses is { Count: > 0 }))
            .Where(e => publishAll || (e.Conditions?.Ready ?? true))
            .Select(e => new ServiceEndpoint(e.Addresses[0], 0, true, true, false, e.NodeName, e.Hostname))
            .DistinctBy(e => e.Ip)
            .OrderBy(e => e.Ip, StringComparer.Ordinal)];
    }

    private static bool IsHeadless(V1Service service) => service.Spec?.ClusterIP is null or "" or "None";

    private string ServiceName(V1Service service) => $"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc.{Zone}";

    /// <summary>The endpoint's own name under a headless service: its hostname, or its address with dashes.</summary>
    private static string EndpointLabel(ServiceEndpoint endpoint) => endpoint.Hostname ?? endpoint.Ip.Replace('.', '-');
}
