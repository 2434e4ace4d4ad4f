namespace K8sSharp.Proxy.Dns;

/// <summary>
/// One query in, one response out: questions in the cluster zone (and known reverse names) are answered
/// authoritatively from <see cref="ClusterZone"/>; everything else is relayed to the upstream resolvers. A UDP answer
/// larger than the client accepts is sent empty with TC set, so the client retries over TCP.
/// </summary>
internal sealed class DnsHandler(ClusterZone zone, DnsForwarder forwarder)
{
    /// <summary>The response bytes, or null when nothing should be sent (not a query, or garbage without a header).</summary>
    public async Task<byte[]?> HandleAsync(byte[] query, bool tcp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        DnsMessage request;
        try
        {
            request = DnsReader.Decode(query);
        }
        catch (DnsFormatException)
        {
            return query.Length >= 12 ? DnsWriter.Encode(new DnsMessage { Id = (ushort)((query[0] << 8) | query[1]), IsResponse = true, Rcode = DnsRcode.FormErr }) : null;
        }
        if (request.IsResponse)
        {
            return null;
        }
        if (request.Opcode != 0 || request.Questions.Count != 1)
        {
            return DnsWriter.Encode(Reply(request, request.Opcode != 0 ? DnsRcode.NotImp : DnsRcode.FormErr));
        }
        if (zone.Resolve(request.Questions[0]) is not { } answer)
        {
            return await forwarder.ForwardAsync(query, tcp, cancellationToken) ?? DnsWriter.Encode(Reply(request, DnsRcode.ServFail));
        }
        var response = Reply(request, answer.Rcode) with
        {
            Authoritative = true,
            Answers = answer.Answers,
            Authority = answer.Authority,
            Additional = answer.Additional,
        };
        var bytes = DnsWriter.Encode(response);
        return tcp || bytes.Length <= request.MaxUdpSize
            ? bytes
            : DnsWriter.Encode(Reply(request, answer.Rcode) with { Authoritative = true, Truncated = true });
    }

    private static DnsMessage Reply(DnsMessage request, DnsRcode rcode) => new()
    {
        Id = request.Id,
        IsResponse = true,
        Opcode = request.Opcode,
        RecursionDesired = request.RecursionDesired,
        RecursionAvailable = true,
        Rcode = rcode,
        Questions = request.Questions,
    };
}
