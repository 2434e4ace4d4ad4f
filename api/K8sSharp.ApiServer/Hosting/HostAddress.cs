using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace K8sSharp.ApiServer.Hosting;

/// <summary>
/// The address other machines and pods use to reach this host: the IPv4 address of the interface that holds the
/// default route (as upstream's <c>ChooseHostInterface</c> picks it), falling back to any up, non-loopback IPv4
/// address, then to 127.0.0.1 on a machine with no network at all.
/// </summary>
internal static class HostAddress
{
    public static string Primary()
    {
        var defaultRouteInterface = DefaultRouteInterface();
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .OrderBy(i => i.Name == defaultRouteInterface ? 0 : 1)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return candidates.FirstOrDefault()?.ToString() ?? IPAddress.Loopback.ToString();
    }

    /// <summary>The interface of the 0.0.0.0/0 route in /proc/net/route (columns: Iface Destination ...), or null.</summary>
    private static string? DefaultRouteInterface()
    {
        const string routes = "/proc/net/route";
        if (!File.Exists(routes))
        {
            return null;
        }
        return File.ReadLines(routes).Skip(1)
            .Select(line => line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(columns => columns.Length > 1 && uint.TryParse(columns[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var destination) && destination == 0)
            .Select(columns => columns[0])
            .FirstOrDefault();
    }
}
