namespace K8sSharp.Kubelet.Network;

/// <summary>
/// dockerd sets the FORWARD policy to DROP and, with br_netfilter, bridged pod-to-pod frames traverse FORWARD too:
/// without these two rules pods on the bridge could not talk to each other or the outside. Idempotent
/// (<c>iptables -C</c> before <c>-A</c>); the rules carry a comment naming the bridge. Appended, not inserted: the
/// proxy's jumps (KUBE-FORWARD, KUBE-SERVICES with its REJECTs for Services without endpoints) must see pod traffic
/// first, and dockerd's rules above them only act on its own bridge, so the ACCEPTs still come before the DROP policy.
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
            var append = await runner.RunAsync("iptables", ["-w", "-A", .. rule], new Dictionary<string, string>(), null, cancellationToken);
            if (append.ExitCode != 0)
            {
                throw new CniException($"iptables -A FORWARD {direction} {bridge} failed: {append.Stderr.Trim()}");
            }
        }
    }
}
