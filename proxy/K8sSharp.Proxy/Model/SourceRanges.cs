using System.Net;
using System.Net.Sockets;

namespace K8sSharp.Proxy.Model;

/// <summary>
/// spec.loadBalancerSourceRanges as the proxier uses them: parsed leniently as upstream's ParseCIDRSloppy (surrounding
/// spaces, host bits set), IPv4 only (the proxier is IPv4), printed canonically (<c>192.0.2.0/24</c>); an entry that
/// does not parse is left out, as upstream logs and drops it (the API server's validation keeps them out anyway).
/// </summary>
internal static class SourceRanges
{
    public static IReadOnlyList<string> Ipv4(IEnumerable<string>? ranges) =>
        [.. (ranges ?? []).Select(Canonical).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary><c>network/prefix</c> with the host bits cleared; null when <paramref name="range"/> is not an IPv4 CIDR.</summary>
    public static string? Canonical(string range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var parts = range.Trim().Split('/');
        if (parts.Length != 2
            || !IPAddress.TryParse(parts[0], out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            || prefix > 32)
        {
            return null;
        }
        var bytes = address.GetAddressBytes();
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var network = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, network);
        return $"{new IPAddress(bytes)}/{prefix}";
    }

    /// <summary>True when <paramref name="ip"/> (IPv4) lies in the canonical range <paramref name="range"/>.</summary>
    public static bool Contains(string range, IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(ip);
        return ip.AddressFamily == AddressFamily.InterNetwork && IPNetwork.Parse(range).Contains(ip);
    }
}
