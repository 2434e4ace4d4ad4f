namespace K8sSharp.Kubelet.Network;

/// <summary>
/// dockerd sets the FORWARD policy to DROP and, with br_netfilter, bridged pod-to-pod frames traverse FORWARD too:
/// without these two rules pods on the bridge could not talk to each other or the outside. Idempotent
/// (<c>iptables -C</c> before <c>-I</c>); the rules carry a comment naming the bridge.
/// </summary>
internal sealed class BridgeForwarding(IProcessRunner runner, string bridge)
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        foreach (var direction in new[] { "-i", "-o" })
        {
            string[] rule = ["FORWARD", direction, bridge, "-m", "comment", "--comment", $"k8ssharp pods on {bridge}", "-j", "ACCEPT"];
            var check = await runner.RunAsync("iptables", ["-w", "-C", .. rule], new Dictionary<string, string>(), null, cancellationToken);
            if (check.ExitCode == 0)
            {
                continue;
            }
            var insert = await runner.RunAsync("iptables", ["-w", "-I", .. rule], new Dictionary<string, string>(), null, cancellationToken);
            if (insert.ExitCode != 0)
            {
                throw new CniException($"iptables -I FORWARD {direction} {bridge} failed: {insert.Stderr.Trim()}");
            }
        }
    }
}
