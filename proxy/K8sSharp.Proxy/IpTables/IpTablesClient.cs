namespace K8sSharp.Proxy.IpTables;

/// <summary>
/// The iptables operations the proxier needs, over the iptables binaries (whatever backend they use: legacy or
/// nf_tables). Every call passes <c>-w</c> so that we wait for the xtables lock instead of failing next to docker.
/// </summary>
internal sealed class IpTablesClient(CommandRunner runner)
{
    /// <summary>The chains that exist in a table (from iptables-save's <c>:NAME</c> lines).</summary>
    public async Task<IReadOnlyList<string>> ListChainsAsync(string table, CancellationToken cancellationToken)
    {
        var result = await RunAsync("iptables-save", ["-t", table], null, cancellationToken);
        return [.. result.Output.Split('\n').Where(l => l.StartsWith(':')).Select(l => l[1..].Split(' ')[0])];
    }

    /// <summary>The rules of a table as iptables-save prints them.</summary>
    public async Task<string> SaveAsync(string table, CancellationToken cancellationToken) =>
        (await RunAsync("iptables-save", ["-t", table], null, cancellationToken)).Output;

    /// <summary>Applies restore input in one transaction; --noflush leaves every chain the input does not declare alone.</summary>
    public Task RestoreAsync(string input, CancellationToken cancellationToken) =>
        RunAsync("iptables-restore", ["-w", "--noflush"], input, cancellationToken);

    /// <summary>The rules of one chain as <c>iptables -S</c> prints them.</summary>
    public async Task<string> ListRulesAsync(string table, string chain, CancellationToken cancellationToken) =>
        (await RunAsync("iptables", ["-w", "-t", table, "-S", chain], null, cancellationToken)).Output;

    /// <summary>Puts every jump rule first in its built-in chain (see <see cref="JumpPlacement"/>), one restore per table.</summary>
    public async Task EnsureJumpsFirstAsync(IReadOnlyList<JumpRule> jumps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jumps);
        foreach (var table in jumps.GroupBy(j => j.Table))
        {
            var commands = new List<string>();
            foreach (var chain in table.GroupBy(j => j.From))
            {
                commands.AddRange(JumpPlacement.Commands([.. chain], await ListRulesAsync(table.Key, chain.Key, cancellationToken)));
            }
            if (commands.Count > 0)
            {
                await RestoreAsync(JumpPlacement.Input(table.Key, commands), cancellationToken);
            }
        }
    }

    /// <summary>Removes the jump (every copy of it); absent is fine.</summary>
    public async Task DeleteJumpAsync(JumpRule jump, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jump);
        for (var i = 0; i < 10; i++)
        {
            var delete = await runner.RunAsync("iptables", ["-w", "-t", jump.Table, "-D", jump.From, .. jump.RuleArgs], null, cancellationToken);
            if (delete.ExitCode != 0)
            {
                return;
            }
        }
    }

    private async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> args, string? input, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(program, args, input, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new IpTablesException($"{program} {string.Join(' ', args)} exited with {result.ExitCode}: {result.Error.Trim()}");
        }
        return result;
    }
}

/// <summary>An iptables command failed; the message carries its stderr.</summary>
internal sealed class IpTablesException(string message) : Exception(message);
