using System.Text;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// One table of iptables-restore input: the chain declarations (<c>:NAME - [0:0]</c>, which with --noflush creates the
/// chain or flushes it), the rules, and the chains to delete. Rendered declarations first, so that every rule may jump
/// to any declared chain, and deletions last, after the rules that referenced them were flushed away.
/// </summary>
internal sealed class RestoreTable(string name)
{
    private readonly List<string> chains = [];
    private readonly HashSet<string> declared = new(StringComparer.Ordinal);
    private readonly List<string> rules = [];
    private readonly List<string> deleted = [];

    public string Name { get; } = name;

    public IReadOnlyCollection<string> DeclaredChains => declared;

    public int RuleCount => rules.Count;

    /// <summary>Declares a chain once; later calls for the same chain do nothing.</summary>
    public void Chain(string chain)
    {
        if (declared.Add(chain))
        {
            chains.Add(chain);
        }
    }

    /// <summary>Appends <c>-A chain args…</c>.</summary>
    public void Rule(string chain, params string[] args) => rules.Add("-A " + chain + " " + string.Join(' ', args));

    /// <summary>Flushes and deletes a chain this sync no longer uses.</summary>
    public void Delete(string chain)
    {
        if (!declared.Contains(chain))
        {
            chains.Add(chain);
            deleted.Add(chain);
        }
    }

    public void WriteTo(StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Append('*').Append(Name).Append('\n');
        foreach (var chain in chains)
        {
            output.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        foreach (var rule in rules)
        {
            output.Append(rule).Append('\n');
        }
        foreach (var chain in deleted)
        {
            output.Append("-X ").Append(chain).Append('\n');
        }
        output.Append("COMMIT\n");
    }

    /// <summary><c>-m comment --comment …</c>, quoted when the text has spaces (iptables-restore splits on them).</summary>
    public static string Comment(string text) =>
        "-m comment --comment " + (text.Contains(' ', StringComparison.Ordinal) ? "\"" + text + "\"" : text);
}
