using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Network;

/// <summary>A pod's attachment to the network: who it is (for CNI_ARGS), its sandbox, and its hostPorts.</summary>
internal sealed record PodNetworkRequest(string Namespace, string Name, string Uid, string SandboxId, string NetnsPath, JsonArray PortMappings);

/// <summary>A CNI plugin failed; the message is the plugin's error (code, msg, details).</summary>
internal sealed class CniException(string message) : Exception(message);

/// <summary>
/// Puts pods on the node's network by executing the CNI plugins of <see cref="CniConfig"/> the way a runtime does
/// (CNI spec 1.0): each plugin of a list in order with CNI_COMMAND=ADD, its config on stdin, the previous result in
/// prevResult; DEL in reverse order with the ADD result. The ADD result is kept under the state directory per sandbox,
/// so the pod IP and the DEL survive a kubelet restart. Not ready until the node has a podCIDR.
/// </summary>
internal sealed partial class PodNetwork(IProcessRunner runner, string cniBinDir, string bridge, string stateDir, ILogger logger)
{
    private JsonObject? podNetwork;

    public string Bridge => bridge;

    public string? PodCidr { get; private set; }

    public bool Ready => podNetwork is not null;

    private string ResultsDir => Path.Combine(stateDir, "results");

    /// <summary>Configures the network for the node's podCIDR (writing the lists under net.d/ for inspection) and lets pods through FORWARD.</summary>
    public async Task ConfigureAsync(string podCidr, CancellationToken cancellationToken)
    {
        if (PodCidr == podCidr)
        {
            return;
        }
        var list = CniConfig.PodNetwork(bridge, podCidr, Path.Combine(stateDir, "networks"));
        var netD = Path.Combine(stateDir, "net.d");
        Directory.CreateDirectory(netD);
        Directory.CreateDirectory(ResultsDir);
        await File.WriteAllTextAsync(Path.Combine(netD, "10-k8ssharp.conflist"), list.ToJsonString(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(netD, "99-loopback.conflist"), CniConfig.Loopback().ToJsonString(), cancellationToken);
        await new BridgeForwarding(runner, bridge).EnsureAsync(cancellationToken);
        podNetwork = list;
        PodCidr = podCidr;
        LogConfigured(logger, bridge, podCidr);
    }

    /// <summary>Attaches the sandbox's network namespace; returns the pod IP.</summary>
    public async Task<string> SetUpAsync(PodNetworkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var list = podNetwork ?? throw new CniException("network plugin not ready: the node has no podCIDR yet");
        // The loopback network and the pod network attach concurrently, as containerd's go-cni attaches every network
        // of a sandbox (the plugins within one list still run in order, each fed the previous result).
        var loopback = AddAsync(CniConfig.Loopback(), request, "lo", cancellationToken);
        var pod = AddAsync(list, request, "eth0", cancellationToken);
        await Task.WhenAll(loopback, pod);
        var result = await pod;
        await File.WriteAllTextAsync(ResultPath(request.SandboxId), result?.ToJsonString() ?? "{}", cancellationToken);
        return CniConfig.FirstIp(result) ?? throw new CniException("the CNI result has no IPv4 address: " + result?.ToJsonString());
    }

    /// <summary>Detaches the sandbox (the namespace may already be gone); a sandbox never attached is a no-op.</summary>
    public async Task TearDownAsync(PodNetworkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = ResultPath(request.SandboxId);
        if (!File.Exists(path))
        {
            return;
        }
        var list = podNetwork ?? CniConfig.PodNetwork(bridge, "0.0.0.0/32", Path.Combine(stateDir, "networks"));
        var prevResult = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        var plugins = ((JsonArray)list["plugins"]!).Reverse().OfType<JsonObject>();
        foreach (var plugin in plugins)
        {
            await InvokeAsync("DEL", list, plugin, prevResult, request, "eth0", cancellationToken);
        }
        File.Delete(path);
    }

    /// <summary>The pod IP recorded when the sandbox was attached, or null.</summary>
    public string? PodIp(string sandboxId)
    {
        var path = ResultPath(sandboxId);
        return File.Exists(path) ? CniConfig.FirstIp(JsonNode.Parse(File.ReadAllText(path))) : null;
    }

    private string ResultPath(string sandboxId) => Path.Combine(ResultsDir, sandboxId + ".json");

    private async Task<JsonNode?> AddAsync(JsonObject list, PodNetworkRequest request, string ifName, CancellationToken cancellationToken)
    {
        JsonNode? result = null;
        foreach (var plugin in ((JsonArray)list["plugins"]!).OfType<JsonObject>())
        {
            result = await InvokeAsync("ADD", list, plugin, result, request, ifName, cancellationToken);
        }
        return result;
    }

    private async Task<JsonNode?> InvokeAsync(
        string command, JsonObject list, JsonObject plugin, JsonNode? prevResult, PodNetworkRequest request, string ifName, CancellationToken cancellationToken)
    {
        var type = plugin["type"]!.GetValue<string>();
        var input = CniConfig.PluginInput(list, plugin, prevResult, new JsonObject { ["portMappings"] = request.PortMappings.DeepClone() });
        var environment = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = request.SandboxId,
            ["CNI_NETNS"] = request.NetnsPath,
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = cniBinDir,
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={request.Namespace};K8S_POD_NAME={request.Name};K8S_POD_INFRA_CONTAINER_ID={request.SandboxId};K8S_POD_UID={request.Uid}",
        };
        var result = await runner.RunAsync(Path.Combine(cniBinDir, type), [], environment, input.ToJsonString(), cancellationToken);
        if (result.ExitCode != 0)
        {
            var error = TryParse(result.Stdout);
            var message = error?["msg"]?.GetValue<string>() ?? result.Stderr.Trim();
            var details = error?["details"]?.GetValue<string>();
            throw new CniException($"plugin type=\"{type}\" failed ({command}): {message}{(string.IsNullOrEmpty(details) ? "" : ": " + details)}");
        }
        return command == "ADD" ? TryParse(result.Stdout) : null;
    }

    private static JsonNode? TryParse(string json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "pod network configured: bridge {Bridge}, podCIDR {PodCidr}")]
    private static partial void LogConfigured(ILogger logger, string bridge, string podCidr);
}
