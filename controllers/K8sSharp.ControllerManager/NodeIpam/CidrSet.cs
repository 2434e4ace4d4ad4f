using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace K8sSharp.ControllerManager.NodeIpam;

/// <summary>
/// The node subnets of one IPv4 cluster CIDR (upstream pkg/controller/nodeipam/ipam/cidrset): the cluster CIDR cut into
/// blocks of <c>/nodeMaskSize</c>, each free or taken. <see cref="Allocate"/> hands out the next free block after the
/// last one handed out (wrapping around), so a released block is not reused at once. Thread-safe.
/// </summary>
internal sealed class CidrSet
{
    private readonly Lock gate = new();
    private readonly uint clusterBase;
    private readonly int clusterPrefix;
    private readonly int nodePrefix;
    private readonly bool[] used;
    private int nextCandidate;

    public CidrSet(string clusterCidr, int nodeMaskSize)
    {
        (clusterBase, clusterPrefix) = ParseCidr(clusterCidr);
        if (nodeMaskSize < clusterPrefix || nodeMaskSize > 32 || nodeMaskSize - clusterPrefix > 24)
        {
            throw new ArgumentException($"node mask size {nodeMaskSize} does not fit cluster CIDR {clusterCidr} (at most 2^24 subnets)");
        }
        nodePrefix = nodeMaskSize;
        used = new bool[1 << (nodeMaskSize - clusterPrefix)];
    }

    public int Capacity => used.Length;

    /// <summary>The next free subnet as "a.b.c.d/n", or null when every subnet is taken.</summary>
    public string? Allocate()
    {
        lock (gate)
        {
            for (var i = 0; i < used.Length; i++)
            {
                var candidate = (nextCandidate + i) % used.Length;
                if (!used[candidate])
                {
                    used[candidate] = true;
                    nextCandidate = (candidate + 1) % used.Length;
                    return Format(candidate);
                }
            }
            return null;
        }
    }

    /// <summary>Marks the subnets <paramref name="cidr"/> covers as taken; false when it lies outside the cluster CIDR.</summary>
    public bool Occupy(string cidr) => Mark(cidr, taken: true);

    /// <summary>Frees the subnets <paramref name="cidr"/> covers; false when it lies outside the cluster CIDR.</summary>
    public bool Release(string cidr) => Mark(cidr, taken: false);

    private bool Mark(string cidr, bool taken)
    {
        if (!TryRange(cidr, out var first, out var last))
        {
            return false;
        }
        lock (gate)
        {
            for (var i = first; i <= last; i++)
            {
                used[i] = taken;
            }
        }
        return true;
    }

    /// <summary>The indexes of the node subnets that <paramref name="cidr"/> overlaps, if it lies in the cluster CIDR.</summary>
    private bool TryRange(string cidr, out int first, out int last)
    {
        first = last = 0;
        if (!TryParseCidr(cidr, out var address, out var prefix) || prefix < clusterPrefix || Mask(clusterPrefix, address) != clusterBase)
        {
            return false;
        }
        var shift = 32 - nodePrefix;
        var start = address & Mask(prefix, uint.MaxValue);
        var end = prefix == 0 ? uint.MaxValue : start | ~Mask(prefix, uint.MaxValue);
        first = (int)((start - clusterBase) >> shift);
        last = (int)((end - clusterBase) >> shift);
        last = Math.Min(last, used.Length - 1);
        return true;
    }

    private string Format(int index)
    {
        var address = clusterBase + ((uint)index << (32 - nodePrefix));
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return $"{new IPAddress(bytes)}/{nodePrefix.ToString(CultureInfo.InvariantCulture)}";
    }

    private static uint Mask(int prefix, uint address) => prefix == 0 ? 0 : address & (uint.MaxValue << (32 - prefix));

    private static (uint Address, int Prefix) ParseCidr(string cidr) =>
        TryParseCidr(cidr, out var address, out var prefix) && Mask(prefix, address) == address
            ? (address, prefix)
            : throw new ArgumentException($"invalid IPv4 CIDR \"{cidr}\" (e.g. 10.244.0.0/16)");

    private static bool TryParseCidr(string cidr, out uint address, out int prefix)
    {
        address = 0;
        prefix = 0;
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32)
        {
            return false;
        }
        address = BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());
        return true;
    }
}
