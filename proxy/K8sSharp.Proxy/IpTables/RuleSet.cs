using System.Text;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// The iptables-restore input of one sync (filter and nat tables) and its per-table rule counts. Rendered whole (a
/// full sync) or partially: the per-service chains (KUBE-SVC/SVL/EXT/FW/SEP) whose rules equal what the previous
/// successful sync wrote are left out, as upstream's partial syncs skip services whose service and endpoints did not
/// change. The fixed chains (KUBE-SERVICES, KUBE-NODEPORTS, the filter table) are always rewritten whole.
/// </summary>
internal sealed class RuleSet(RestoreTable filter, RestoreTable nat)
{
    public RestoreTable Filter { get; } = filter;

    public RestoreTable Nat { get; } = nat;

    /// <summary>The full restore input.</summary>
    public string Text => Render(null);

    private Dictionary<string, IReadOnlyList<string>>? serviceChains;

    /// <summary>The per-service nat chains of this ruleset and their rules (computed once: the ruleset is complete when
    /// the writer returns it).</summary>
    public Dictionary<string, IReadOnlyList<string>> ServiceChains() => serviceChains ??= Nat.ChainContents(RuleSetWriter.IsServiceChain);

    /// <summary>The per-service chains whose rules equal <paramref name="previous"/>'s (the last sync the kernel took).</summary>
    public IReadOnlySet<string> UnchangedSince(IReadOnlyDictionary<string, IReadOnlyList<string>> previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return ServiceChains()
            .Where(kv => previous.TryGetValue(kv.Key, out var before) && before.SequenceEqual(kv.Value, StringComparer.Ordinal))
            .Select(kv => kv.Key)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The restore input, leaving out the nat chains in <paramref name="unchangedNatChains"/> (null: none).</summary>
    public string Render(IReadOnlySet<string>? unchangedNatChains)
    {
        var output = new StringBuilder();
        Filter.WriteTo(output);
        Nat.WriteTo(output, unchangedNatChains);
        return output.ToString();
    }
}
