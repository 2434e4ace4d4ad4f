using System.Text;

namespace K8sSharp.Proxy.IpTables;

/// <summary>The complete iptables-restore input of one sync (filter and nat tables) and its per-table rule counts.</summary>
internal sealed class RuleSet(RestoreTable filter, RestoreTable nat)
{
    public RestoreTable Filter { get; } = filter;

    public RestoreTable Nat { get; } = nat;

    public string Text
    {
        get
        {
            var output = new StringBuilder();
            Filter.WriteTo(output);
            Nat.WriteTo(output);
            return output.ToString();
        }
    }
}
