using System.Buffers.Binary;
using System.Net;

namespace K8sSharp.ApiServer.Registry.Allocation;

/// <summary>An IPv4 service CIDR (10.96.0.0/12 by default) with upstream's static and dynamic bands.</summary>
internal sealed class ServiceCidr
{
    private readonly uint network;

    public ServiceCidr(string cidr)
    {
        var parts = cidr.Split('/');
        Prefix = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        network = ToUInt(IPAddress.Parse(parts[0])) & Mask(Prefix);
        Text = cidr;
    }

    public static ServiceCidr Default { get; } = new("10.96.0.0/12");

    public string Text { get; }

    public int Prefix { get; }

    /// <summary>Usable addresses: the network and broadcast addresses are never handed out.</summary>
    public uint Size => (uint)((1L << (32 - Prefix)) - 2);

    /// <summary>
    /// The low band kept for addresses users pick (upstream: size/16, at least 16 and at most 256); automatic
    /// allocation takes from above it first.
    /// </summary>
    public uint StaticBand => Math.Clamp(Size / 16, 16, 256);

    /// <summary>The first usable address, which the <c>kubernetes</c> Service gets.</summary>
    public string First => At(1);

    public string At(uint offset) => new IPAddress(BinaryPrimitives.ReverseEndianness(network + offset)).ToString();

    public bool Contains(string ip, out uint offset)
    {
        offset = 0;
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }
        var value = ToUInt(address);
        offset = value - network;
        return (value & Mask(Prefix)) == network && offset >= 1 && offset <= Size;
    }

    private static uint ToUInt(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    private static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
}
