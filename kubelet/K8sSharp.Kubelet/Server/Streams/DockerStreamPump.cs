using System.Threading.Channels;
using Docker.DotNet;
using K8sSharp.Streaming.RemoteCommand;

namespace K8sSharp.Kubelet.Server.Streams;

/// <summary>
/// Joins a client's remote-command streams to a hijacked docker connection (exec start or container attach): stdin
/// is copied in (then the write side is closed so the process sees EOF), output is demultiplexed into stdout and
/// stderr (one raw stream with a TTY), and terminal sizes go to <paramref name="resize"/>. Returns when docker ends
/// the output (the process exited or the container stopped). Docker refuses to resize an exec whose process is not
/// running yet, and kubectl sends its first size at once: a refused size is retried (every
/// <see cref="ResizeRetryInterval"/>, at most <see cref="ResizeAttempts"/> times) until a newer one arrives.
/// </summary>
internal static class DockerStreamPump
{
    public const int ResizeAttempts = 100;
    public static readonly TimeSpan ResizeRetryInterval = TimeSpan.FromMilliseconds(10);

    public static async Task RunAsync(MultiplexedStream docker, RemoteCommandStreams client, Func<TerminalSize, Task> resize, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        ArgumentNullException.ThrowIfNull(client);
        using var inputDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var resizing = ResizeAsync(client.Resizes, resize, time, inputDone.Token);
        var input = client.Stdin is { } stdin ? CopyInputAsync(stdin, docker, inputDone.Token) : Task.CompletedTask;
        try
        {
            await CopyOutputAsync(docker, client.Stdout, client.Stderr, cancellationToken);
        }
        finally
        {
            // The process is done: a client still holding stdin open must not keep the session alive.
            await inputDone.CancelAsync();
            await Task.WhenAll(Quietly(input), Quietly(resizing));
        }
    }

    private static async Task CopyInputAsync(Stream stdin, MultiplexedStream docker, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        int read;
        while ((read = await stdin.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await docker.WriteAsync(buffer, 0, read, cancellationToken);
        }
        docker.CloseWrite();
    }

    private static async Task CopyOutputAsync(MultiplexedStream docker, Stream? stdout, Stream? stderr, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        while (true)
        {
            var result = await docker.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (result.EOF)
            {
                return;
            }
            var target = result.Target == MultiplexedStream.TargetStream.StandardError ? stderr ?? stdout : stdout;
            if (target is not null && result.Count > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, result.Count), cancellationToken);
                await target.FlushAsync(cancellationToken);
            }
        }
    }

    private static async Task ResizeAsync(ChannelReader<TerminalSize> sizes, Func<TerminalSize, Task> resize, TimeProvider time, CancellationToken cancellationToken)
    {
        await foreach (var first in sizes.ReadAllAsync(cancellationToken))
        {
            var size = first;
            for (var attempt = 1; attempt <= ResizeAttempts; attempt++)
            {
                if (await TryResizeAsync(resize, size))
                {
                    break;
                }
                await Task.Delay(ResizeRetryInterval, time, cancellationToken);
                while (sizes.TryRead(out var newer))
                {
                    size = newer;
                }
            }
        }
    }

    private static async Task<bool> TryResizeAsync(Func<TerminalSize, Task> resize, TerminalSize size)
    {
        try
        {
            await resize(size);
            return true;
        }
        catch (DockerApiException)
        {
            return false; // not started yet, or already gone
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or DockerApiException)
        {
            // Input and resizes end with the session.
        }
    }
}
