namespace K8sSharp.Proxy.Dns;

/// <summary>What the cluster zone says about one question: an rcode and the three record sections.</summary>
internal sealed record DnsAnswer(
    DnsRcode Rcode,
    IReadOnlyList<DnsRecord> Answers,
    IReadOnlyList<DnsRecord> Authority,
    IReadOnlyList<DnsRecord> Additional)
{
    public static DnsAnswer Records(IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord>? additional = null) =>
        new(DnsRcode.NoError, answers, [], additional ?? []);
}
