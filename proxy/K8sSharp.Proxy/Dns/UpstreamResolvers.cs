using System.Net;

namespace K8sSharp.Proxy.Dns;

/// <summary>The resolvers names outside the cluster zone are forwarded to: the host's <c>/etc/resolv.conf</c> nameservers.</summary>
internal static class UpstreamResolvers
{
    /// <summary>The IPv4/IPv6 nameservers of a resolv.conf, port 53, minus <paramref name="exclude"/> (our own address, to avoid loops).</summary>
    public static IReadOnlyList<IPEndPoint> FromResolvConf(string text, IEnumerable<IPAddress> exclude)
    {
        ArgumentNullException.ThrowIfNull(text);
        var own = exclude.ToHashSet();
        return [.. text.Split('\n')
            .Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out _))
            .Select(fields => IPAddress.Parse(fields[1]))
            .Where(ip => !own.Contains(ip))
            .Select(ip => new IPEndPoint(ip, 53))];
    }
}
