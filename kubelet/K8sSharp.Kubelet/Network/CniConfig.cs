using System.Text.Json.Nodes;

namespace K8sSharp.Kubelet.Network;

/// <summary>
/// The pod network's CNI configuration lists (CNI spec 1.0): <see cref="PodNetwork"/> is a bridge (the node's pods
/// share one Linux bridge, whose address is the pod CIDR's first IP and the pods' gateway; no masquerading; hairpin
/// so a pod reaches itself through a Service) with host-local IPAM on the node's podCIDR and a default route,
/// followed by portmap for hostPorts. <see cref="Loopback"/> brings up lo, as the kubelet's built-in cni-loopback does.
/// The network is named after the bridge, so kubelets sharing a machine keep separate IPAM state.
/// </summary>
internal static class CniConfig
{
    public const string Version = "1.0.0";

    public static JsonObject PodNetwork(string bridge, string podCidr, string ipamDataDir) => new()
    {
        ["cniVersion"] = Version,
        ["name"] = "k8ssharp-" + bridge,
        ["plugins"] = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "bridge",
                ["bridge"] = bridge,
                ["isGateway"] = true,
                ["ipMasq"] = false,
                ["hairpinMode"] = true,
                ["ipam"] = new JsonObject
                {
                    ["type"] = "host-local",
                    ["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = podCidr } } },
                    ["routes"] = new JsonArray { new JsonObject { ["dst"] = "0.0.0.0/0" } },
                    ["dataDir"] = ipamDataDir,
                },
            },
            new JsonObject
            {
                ["type"] = "portmap",
                ["capabilities"] = new JsonObject { ["portMappings"] = true },
                ["snat"] = true,
            },
        },
    };

    public static JsonObject Loopback() => new()
    {
        ["cniVersion"] = Version,
        ["name"] = "cni-loopback",
        ["plugins"] = new JsonArray { new JsonObject { ["type"] = "loopback" } },
    };

    /// <summary>
    /// The configuration one plugin of a list gets on stdin (CNI spec "Network configuration list runtime
    /// semantics"): its own object plus the list's name and cniVersion, the previous plugin's result, and the
    /// runtimeConfig for the capabilities it declares.
    /// </summary>
    public static JsonObject PluginInput(JsonObject list, JsonObject plugin, JsonNode? prevResult, JsonObject runtimeConfig)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(runtimeConfig);
        var input = (JsonObject)plugin.DeepClone();
        input["name"] = list["name"]!.DeepClone();
        input["cniVersion"] = list["cniVersion"]!.DeepClone();
        if (prevResult is not null)
        {
            input["prevResult"] = prevResult.DeepClone();
        }
        if (plugin["capabilities"] is JsonObject capabilities)
        {
            var runtime = new JsonObject();
            foreach (var (name, enabled) in capabilities)
            {
                if (enabled?.GetValue<bool>() == true && runtimeConfig[name] is { } value)
                {
                    runtime[name] = value.DeepClone();
                }
            }
            if (runtime.Count > 0)
            {
                input["runtimeConfig"] = runtime;
            }
        }
        return input;
    }

    /// <summary>The first IPv4 address of a CNI result (ips[].address is a CIDR), or null.</summary>
    public static string? FirstIp(JsonNode? result)
    {
        if (result?["ips"] is not JsonArray ips)
        {
            return null;
        }
        foreach (var ip in ips)
        {
            var address = ip?["address"]?.GetValue<string>();
            if (address is not null && !address.Contains(':', StringComparison.Ordinal))
            {
                return address.Split('/')[0];
            }
        }
        return null;
    }
}
