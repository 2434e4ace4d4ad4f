using System.Threading.Channels;

namespace K8sSharp.Streaming.RemoteCommand;

/// <summary>A terminal resize from the client (<c>{"Width":80,"Height":24}</c>).</summary>
public sealed record TerminalSize(ushort Width, ushort Height);

/// <summary>
/// Which streams an exec/attach asked for, from the kubelet's query (<c>input</c>, <c>output</c>, <c>error</c>,
/// <c>tty</c>, each "1" or "true"), as the API server passes them on.
/// </summary>
public sealed record RemoteCommandOptions(bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    public static RemoteCommandOptions FromQuery(Func<string, string?> query)
    {
        bool Flag(string name) => query(name) is "1" or "true";
        var tty = Flag("tty");
        // With a terminal, stderr is merged into stdout by the terminal itself.
        return new RemoteCommandOptions(Flag("input"), Flag("output"), Flag("error") && !tty, tty);
    }
}

/// <summary>The streams a running command reads and writes; null where the client did not ask for one.</summary>
public sealed class RemoteCommandStreams
{
    public Stream? Stdin { get; init; }

    public Stream? Stdout { get; init; }

    public Stream? Stderr { get; init; }

    public bool Tty { get; init; }

    /// <summary>Terminal sizes as the client sends them (only with a TTY); completes when the session ends.</summary>
    public required ChannelReader<TerminalSize> Resizes { get; init; }
}

/// <summary>Runs the command (exec) or attaches (attach) and returns its exit code; throws to report an error.</summary>
public delegate Task<int> RemoteCommandRunner(RemoteCommandStreams streams, CancellationToken ct);

/// <summary>The Status that ends a session on the error channel, as upstream's v4/v5 protocol writes it.</summary>
internal static class ExitStatus
{
    public static byte[] For(int exitCode) => System.Text.Encoding.UTF8.GetBytes(exitCode == 0
        ? """{"metadata":{},"status":"Success"}"""
        : """{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status CODE","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"CODE"}]}}"""
            .Replace("CODE", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    public static byte[] ForError(string message) => System.Text.Encoding.UTF8.GetBytes(
        $$"""{"metadata":{},"status":"Failure","message":{{System.Text.Json.JsonSerializer.Serialize(message)}},"reason":"InternalError","code":500}""");
}
