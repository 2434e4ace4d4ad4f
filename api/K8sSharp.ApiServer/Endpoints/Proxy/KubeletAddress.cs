using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>
/// Where a node's kubelet serves, from the Node's status as upstream's node connection info: the first address of
/// type InternalIP, ExternalIP or Hostname (in that order), and <c>daemonEndpoints.kubeletEndpoint.Port</c> (10250 when
/// unset), over HTTPS.
/// </summary>
internal static class KubeletAddress
{
    private const int DefaultKubeletPort = 10250;
    private static readonly string[] AddressPreference = ["InternalIP", "ExternalIP", "Hostname"];

    /// <summary>https://&lt;node address&gt;:&lt;kubelet port&gt;/; <paramref name="portOverride"/> replaces the port.</summary>
    public static Uri BaseOf(JsonObject node, string? portOverride = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var addresses = node["status"]?["addresses"] as JsonArray ?? [];
        var address = AddressPreference
            .Select(type => addresses.FirstOrDefault(a => (string?)a?["type"] == type))
            .Select(a => (string?)a?["address"])
            .FirstOrDefault(a => !string.IsNullOrEmpty(a))
            ?? throw new ApiException(503, "ServiceUnavailable", $"node {(string?)node["metadata"]?["name"]} has no address in its status; is its kubelet running?");
        var port = portOverride is not null
            ? int.Parse(portOverride, CultureInfo.InvariantCulture)
            : (int?)node["status"]?["daemonEndpoints"]?["kubeletEndpoint"]?["Port"] ?? DefaultKubeletPort;
        return new UriBuilder(Uri.UriSchemeHttps, address, port).Uri;
    }
}
