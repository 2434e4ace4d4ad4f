using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using k8s.Models;

namespace K8sSharp.Proxy.Hosting;

/// <summary>
/// This node's primary IPv4 address, as upstream kube-proxy finds it: the Node object's InternalIP, else
/// <c>--bind-address</c>, else the address of the interface holding the default route, else 127.0.0.1.
/// </summary>
internal static class NodeAddress
{
    public static IPAddress Resolve(V1Node? node, IPAddress? bindAddress)
    {
        var internalIp = node?.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP" && IPAddress.TryParse(a.Address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork);
        if (internalIp is not null)
        {
            return IPAddress.Parse(internalIp.Address);
        }
        if (bindAddress is not null && !bindAddress.Equals(IPAddress.Any))
        {
            return bindAddress;
        }
        return DefaultRouteAddress() ?? IPAddress.Loopback;
    }

    private static IPAddress? DefaultRouteAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Select(n => n.GetIPProperties())
            .Where(p => p.GatewayAddresses.Any(g => g.Address.AddressFamily == AddressFamily.InterNetwork))
            .SelectMany(p => p.UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
}
