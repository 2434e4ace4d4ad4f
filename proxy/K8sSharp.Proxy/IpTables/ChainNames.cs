using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using K8sSharp.Proxy.Model;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// Chain names exactly as upstream's iptables proxier makes them, so that tools and people who know kube-proxy can
/// read our rules: a prefix plus the first 16 characters of base32(sha256(portName + protocol [+ endpoint])). The hash
/// keeps names within iptables' 28-character limit and stable across restarts.
/// </summary>
internal static class ChainNames
{
    public const string Services = "KUBE-SERVICES";
    public const string ExternalServices = "KUBE-EXTERNAL-SERVICES";
    public const string NodePorts = "KUBE-NODEPORTS";
    public const string Postrouting = "KUBE-POSTROUTING";
    public const string MarkMasq = "KUBE-MARK-MASQ";
    public const string Forward = "KUBE-FORWARD";
    public const string Firewall = "KUBE-FIREWALL";

    /// <summary>filter: drops new connections to a load-balancer IP that its KUBE-FW chain did not let through.</summary>
    public const string ProxyFirewall = "KUBE-PROXY-FIREWALL";

    /// <summary>Prefixes of the per-service and per-endpoint chains; a chain with one of these that a sync does not
    /// write is stale and gets deleted.</summary>
    public static readonly IReadOnlyList<string> ServiceChainPrefixes = ["KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-FW-", "KUBE-SEP-"];

    /// <summary>KUBE-SVC-…: the cluster-policy chain, load-balancing across every usable endpoint.</summary>
    public static string ServicePort(ServicePortName name) => Named("KUBE-SVC-", name);

    /// <summary>KUBE-SVL-…: the local-policy chain, only this node's endpoints.</summary>
    public static string LocalPolicy(ServicePortName name) => Named("KUBE-SVL-", name);

    /// <summary>KUBE-EXT-…: traffic to node ports and external IPs, before the traffic policy applies.</summary>
    public static string External(ServicePortName name) => Named("KUBE-EXT-", name);

    /// <summary>KUBE-FW-…: the load-balancer firewall chain (loadBalancerSourceRanges): allowed sources go on to KUBE-EXT.</summary>
    public static string LoadBalancerFirewall(ServicePortName name) => Named("KUBE-FW-", name);

    /// <summary>KUBE-SEP-…: one endpoint (DNAT and hairpin masquerade).</summary>
    public static string Endpoint(ServicePortName name, ServiceEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Named("KUBE-SEP-", name, endpoint.Ip, endpoint.Port);
    }

    /// <summary>What a name is made of; the endpoint part is empty for the per-service chains.</summary>
    private readonly record struct NameKey(string Prefix, ServicePortName Port, string EndpointIp, int EndpointPort);

    /// <summary>Every sync names every chain again; remembering the names (as upstream keeps them on its service and
    /// endpoint info) takes the hashing and its garbage out of the sync's cost. Dropped whole past
    /// <see cref="CacheLimit"/> entries so that churn cannot grow it without bound.</summary>
    private static readonly ConcurrentDictionary<NameKey, string> Cache = new();

    private const int CacheLimit = 200_000;

    private static string Named(string prefix, ServicePortName port, string endpointIp = "", int endpointPort = 0)
    {
        ArgumentNullException.ThrowIfNull(port);
        var key = new NameKey(prefix, port, endpointIp, endpointPort);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }
        var input = endpointIp.Length == 0 ? $"{port}{port.Protocol}" : $"{port}{port.Protocol}{endpointIp}:{endpointPort}";
        var name = prefix + Base32(SHA256.HashData(Encoding.UTF8.GetBytes(input)))[..16];
        Cache[key] = name;
        return name;
    }

    /// <summary>RFC 4648 base32 (upper case); only the first 16 characters are ever used, so padding does not matter.</summary>
    private static string Base32(byte[] data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new StringBuilder((data.Length + 4) / 5 * 8);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }
        return output.ToString();
    }
}
