using System.Text.Json;
using System.Threading.Channels;
using K8sSharp.Streaming.Spdy;

namespace K8sSharp.Streaming.RemoteCommand;

/// <summary>
/// exec/attach over SPDY/3.1, kubectl's fallback when the WebSocket upgrade is refused: the client opens one stream
/// per channel with a <c>streamType</c> header (error, stdin, stdout, stderr, resize); the command starts once every
/// stream the options call for is open; its Status goes on the error stream (protocol v4 and later), then every
/// stream is finished and the connection closed.
/// </summary>
public static class SpdyRemoteCommand
{
    /// <summary>Offered in preference order; the kubelet answers with the first the client also offers.</summary>
    public static readonly string[] Protocols = ["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

    public static async Task ServeAsync(Stream transport, RemoteCommandOptions options, RemoteCommandRunner run, CancellationToken ct)
    {
        await using var connection = new SpdyConnection(transport);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var expected = ExpectedStreams(options);
        var opened = new Dictionary<string, SpdyStream>(StringComparer.Ordinal);
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = connection.RunAsync(stream =>
        {
            lock (opened)
            {
                opened[stream.Header("streamType") ?? string.Empty] = stream;
                if (expected.All(opened.ContainsKey))
                {
                    allOpen.TrySetResult();
                }
            }
        }, session.Token);
        if (await Task.WhenAny(allOpen.Task, serving, Task.Delay(TimeSpan.FromSeconds(30), ct)) != allOpen.Task)
        {
            await session.CancelAsync();
            return;
        }
        await RunAsync(opened, options, run, session.Token);
        await session.CancelAsync();
        await serving;
    }

    private static List<string> ExpectedStreams(RemoteCommandOptions options)
    {
        var expected = new List<string> { "error" };
        if (options.Stdin)
        {
            expected.Add("stdin");
        }
        if (options.Stdout)
        {
            expected.Add("stdout");
        }
        if (options.Stderr)
        {
            expected.Add("stderr");
        }
        if (options.Tty)
        {
            expected.Add("resize");
        }
        return expected;
    }

    private static async Task RunAsync(Dictionary<string, SpdyStream> opened, RemoteCommandOptions options, RemoteCommandRunner run, CancellationToken ct)
    {
        var resizes = Channel.CreateUnbounded<TerminalSize>();
        var readingResizes = opened.TryGetValue("resize", out var resize) ? ReadResizesAsync(resize.Input, resizes.Writer) : Task.CompletedTask;
        var streams = new RemoteCommandStreams
        {
            Stdin = opened.GetValueOrDefault("stdin")?.Input,
            Stdout = opened.GetValueOrDefault("stdout")?.Output,
            Stderr = opened.GetValueOrDefault("stderr")?.Output,
            Tty = options.Tty,
            Resizes = resizes.Reader,
        };
        byte[] status;
        try
        {
            status = ExitStatus.For(await run(streams, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            status = ExitStatus.ForError(e.Message);
        }
        foreach (var name in new[] { "stdout", "stderr" })
        {
            if (opened.TryGetValue(name, out var output))
            {
                await output.CloseAsync();
            }
        }
        await opened["error"].Output.WriteAsync(status, ct);
        await opened["error"].CloseAsync();
        resizes.Writer.TryComplete();
        _ = readingResizes;
    }

    /// <summary>The resize stream carries one JSON object per size, back to back.</summary>
    private static async Task ReadResizesAsync(Stream input, ChannelWriter<TerminalSize> sizes)
    {
        try
        {
            await foreach (var size in JsonSerializer.DeserializeAsyncEnumerable<TerminalSize>(input, topLevelValues: true))
            {
                if (size is not null)
                {
                    sizes.TryWrite(size);
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A malformed or interrupted resize stream only stops resizing.
        }
    }
}
