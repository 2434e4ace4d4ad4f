using System.Text;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// One table of iptables-restore input: the chain declarations (<c>:NAME - [0:0]</c>, which with --noflush creates the
/// chain or flushes it), the rules, and the chains to delete. Rendered declarations first, so that every rule may jump
/// to any declared chain, and deletions last, after the rules that referenced them were flushed away.
/// A partial render leaves out chains the kernel already holds with the same rules (neither declared nor written, so
/// --noflush keeps them as they are), which is what makes a sync after one endpoint change cheap.
/// </summary>
internal sealed class RestoreTable(string name)
{
    private readonly List<string> chains = [];
    private readonly HashSet<string> declared = new(StringComparer.Ordinal);
    private readonly List<(string Chain, string Line)> rules = [];
    private readonly List<string> deleted = [];

    public string Name { get; } = name;

    public IReadOnlyCollection<string> DeclaredChains => declared;

    public IReadOnlyList<string> DeletedChains => deleted;

    public int RuleCount => rules.Count;

    /// <summary>The current end of the output, to take what is written after it with <see cref="Since"/>.</summary>
    public (int Chains, int Rules) Mark => (chains.Count, rules.Count);

    /// <summary>The chains declared and the rules appended since <paramref name="mark"/>.</summary>
    public TableOutput Since((int Chains, int Rules) mark) =>
        new(chains.GetRange(mark.Chains, chains.Count - mark.Chains), rules.GetRange(mark.Rules, rules.Count - mark.Rules));

    /// <summary>Writes an output taken with <see cref="Since"/> again (the same strings, no new ones).</summary>
    public void Replay(TableOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var chain in output.Chains)
        {
            Chain(chain);
        }
        rules.AddRange(output.Rules);
    }

    /// <summary>Declares a chain once; later calls for the same chain do nothing.</summary>
    public void Chain(string chain)
    {
        if (declared.Add(chain))
        {
            chains.Add(chain);
        }
    }

    /// <summary>Appends <c>-A chain args…</c> (built as one string: a sync writes thousands).</summary>
    public void Rule(string chain, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(args);
        var length = "-A ".Length + chain.Length;
        foreach (var arg in args)
        {
            length += 1 + arg.Length;
        }
        rules.Add((chain, string.Create(length, (chain, args), static (span, state) =>
        {
            "-A ".CopyTo(span);
            state.chain.CopyTo(span[3..]);
            var at = 3 + state.chain.Length;
            foreach (var arg in state.args)
            {
                span[at++] = ' ';
                arg.CopyTo(span[at..]);
                at += arg.Length;
            }
        })));
    }

    /// <summary>Flushes and deletes a chain this sync no longer uses.</summary>
    public void Delete(string chain)
    {
        if (!declared.Contains(chain))
        {
            chains.Add(chain);
            deleted.Add(chain);
        }
    }

    /// <summary>The rule lines of every declared chain that <paramref name="include"/> accepts (none for a chain without
    /// rules): what a later sync compares, line by line, to find the chains it need not rewrite.</summary>
    public Dictionary<string, IReadOnlyList<string>> ChainContents(Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var contents = declared.Where(include).ToDictionary(c => c, _ => new List<string>(4), StringComparer.Ordinal);
        foreach (var (chain, line) in rules)
        {
            if (contents.TryGetValue(chain, out var lines))
            {
                lines.Add(line);
            }
        }
        return contents.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Renders the table; chains in <paramref name="unchanged"/> are left out entirely.</summary>
    public void WriteTo(StringBuilder output, IReadOnlySet<string>? unchanged = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        unchanged ??= new HashSet<string>();
        output.Append('*').Append(Name).Append('\n');
        foreach (var chain in chains.Where(c => !unchanged.Contains(c)))
        {
            output.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        foreach (var (_, line) in rules.Where(r => !unchanged.Contains(r.Chain)))
        {
            output.Append(line).Append('\n');
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

/// <summary>A stretch of one table's output (what one service port wrote), to be written again unchanged.</summary>
internal sealed record TableOutput(IReadOnlyList<string> Chains, IReadOnlyList<(string Chain, string Line)> Rules);
