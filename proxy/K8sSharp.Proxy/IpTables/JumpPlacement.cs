using System.Text;

namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// Keeps our jump rules at the top of the built-in chains. Upstream inserts them once and only checks that they exist;
/// here other software on the same machine (dockerd, kubelets of other clusters) inserts ACCEPT rules at the top of
/// FORWARD after us, and a pod's packet to a Service without endpoints would then be accepted before our REJECT. So a
/// full sync checks that a chain's first rules are exactly our jumps and, when they are not, moves them there in one
/// iptables-restore transaction (delete each existing copy, insert at position 1): no moment without the jump, and no
/// rule of anyone else touched.
/// </summary>
internal static class JumpPlacement
{
    /// <summary>
    /// The restore commands (without the table header) that put <paramref name="jumps"/> (all from one built-in chain)
    /// first, given that chain's <c>iptables -S</c> output; empty when they already are (in any order).
    /// </summary>
    public static IReadOnlyList<string> Commands(IReadOnlyList<JumpRule> jumps, string listing)
    {
        ArgumentNullException.ThrowIfNull(jumps);
        ArgumentNullException.ThrowIfNull(listing);
        if (jumps.Count == 0)
        {
            return [];
        }
        var chain = jumps[0].From;
        var targets = jumps.Select(j => j.To).ToHashSet(StringComparer.Ordinal);
        var ruleTargets = listing.Split('\n')
            .Where(line => line.StartsWith("-A " + chain + " ", StringComparison.Ordinal))
            .Select(Target)
            .ToList();
        var leading = ruleTargets.Take(jumps.Count).ToList();
        if (leading.Count == jumps.Count && leading.ToHashSet(StringComparer.Ordinal).SetEquals(targets) && ruleTargets.Count(targets.Contains) == jumps.Count)
        {
            return [];
        }
        var commands = new List<string>();
        foreach (var jump in jumps)
        {
            var copies = ruleTargets.Count(t => t == jump.To);
            commands.AddRange(Enumerable.Repeat("-D " + chain + " " + Render(jump.RuleArgs), copies));
        }
        // Each inserted at the top in turn, as upstream inserts them: the last ends up first.
        commands.AddRange(jumps.Select(jump => "-I " + chain + " 1 " + Render(jump.RuleArgs)));
        return commands;
    }

    /// <summary>The restore input for one table's commands.</summary>
    public static string Input(string table, IEnumerable<string> commands)
    {
        var input = new StringBuilder().Append('*').Append(table).Append('\n');
        foreach (var command in commands)
        {
            input.Append(command).Append('\n');
        }
        return input.Append("COMMIT\n").ToString();
    }

    /// <summary>The target of an <c>iptables -S</c> rule line (the word after <c>-j</c>), or empty.</summary>
    private static string Target(string line)
    {
        var at = line.LastIndexOf(" -j ", StringComparison.Ordinal);
        return at < 0 ? string.Empty : line[(at + 4)..].Split(' ')[0];
    }

    /// <summary>Arguments as iptables-restore reads them: one containing spaces is double-quoted.</summary>
    private static string Render(IReadOnlyList<string> args) =>
        string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? "\"" + a + "\"" : a));
}
