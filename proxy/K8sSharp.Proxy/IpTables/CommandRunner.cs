using System.Diagnostics;

namespace K8sSharp.Proxy.IpTables;

/// <summary>The result of one external command.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the iptables binaries (the process edge). <paramref name="prefix"/> is put before every command line, e.g.
/// <c>ip netns exec &lt;name&gt;</c> so tests can apply real rules inside a network namespace of their own.
/// </summary>
internal sealed class CommandRunner(IReadOnlyList<string>? prefix = null)
{
    private readonly IReadOnlyList<string> prefix = prefix ?? [];

    public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> args, string? input, CancellationToken cancellationToken)
    {
        var argv = prefix.Append(program).Concat(args).ToList();
        var start = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + argv[0]);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return new CommandResult(process.ExitCode, await output, await error);
    }
}
