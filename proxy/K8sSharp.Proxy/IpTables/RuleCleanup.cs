using System.Text;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// <c>k8ssharp-proxy --cleanup</c> (upstream's kube-proxy --cleanup): removes our jump rules from the built-in chains,
/// then flushes and deletes every chain of ours in the filter and nat tables, leaving other software's rules alone.
/// </summary>
internal static class RuleCleanup
{
    private static readonly HashSet<string> FixedChains =
    [
        ChainNames.Services, ChainNames.ExternalServices, ChainNames.NodePorts, ChainNames.Postrouting,
        ChainNames.MarkMasq, ChainNames.Forward, ChainNames.Firewall, ChainNames.ProxyFirewall,
    ];

    public static async Task RunAsync(IpTablesClient iptables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(iptables);
        foreach (var jump in JumpRule.All)
        {
            await iptables.DeleteJumpAsync(jump, cancellationToken);
        }
        foreach (var table in new[] { "filter", "nat" })
        {
            var ours = (await iptables.ListChainsAsync(table, cancellationToken)).Where(IsOurs).ToList();
            if (ours.Count > 0)
            {
                await iptables.RestoreAsync(DeleteInput(table, ours), cancellationToken);
            }
        }
    }

    public static bool IsOurs(string chain) => FixedChains.Contains(chain) || RuleSetWriter.IsServiceChain(chain);

    private static string DeleteInput(string table, List<string> chains)
    {
        var input = new StringBuilder().Append('*').Append(table).Append('\n');
        chains.ForEach(c => input.Append(':').Append(c).Append(" - [0:0]\n"));
        chains.ForEach(c => input.Append("-X ").Append(c).Append('\n'));
        return input.Append("COMMIT\n").ToString();
    }
}
