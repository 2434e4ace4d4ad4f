using System.Diagnostics;

namespace K8sSharp.Kubelet.Network;

/// <summary>What a finished program left: its exit code, stdout and stderr.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a program (a CNI plugin, iptables): the process edge that tests replace with a fake.</summary>
internal interface IProcessRunner
{
    Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string? stdin, CancellationToken cancellationToken);
}

internal sealed class ProcessRunner : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(
        string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string? stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
