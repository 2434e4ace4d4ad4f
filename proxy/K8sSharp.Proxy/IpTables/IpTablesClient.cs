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

    /// <summary>Inserts the jump at the top of its built-in chain unless it is already there (anywhere).</summary>
    public async Task EnsureJumpAsync(JumpRule jump, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jump);
        var check = await runner.RunAsync("iptables", ["-w", "-t", jump.Table, "-C", jump.From, .. jump.RuleArgs], null, cancellationToken);
        if (check.ExitCode != 0)
        {
            await RunAsync("iptables", ["-w", "-t", jump.Table, "-I", jump.From, .. jump.RuleArgs], null, cancellationToken);
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
