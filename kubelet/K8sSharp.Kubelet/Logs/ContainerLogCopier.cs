using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Logs;

/// <summary>
/// Copies each container's stdout and stderr from dockerd into its CRI-format file under /var/log/pods (the layout
/// the logs server and log shippers read), following the stream while the container runs, and links it from
/// /var/log/containers. One copy per container id per process; after a kubelet restart a copy resumes after the
/// last line already in the file.
/// </summary>
internal sealed partial class ContainerLogCopier(IDockerClient docker, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Task> copies = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Starts copying the container's output into <paramref name="file"/> unless a copy already runs (or ran).</summary>
    public void Ensure(string containerId, string file, string link)
    {
        copies.GetOrAdd(containerId, id => Task.Run(() => CopyAsync(id, file, link, stopping.Token)));
    }

    /// <summary>Forgets finished copies of containers that no longer exist.</summary>
    public void Forget(string containerId) => copies.TryRemove(containerId, out _);

    private async Task CopyAsync(string containerId, string file, string link, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (!File.Exists(link) && new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, file);
            }
            var since = CriLogFormat.LastTimestamp(file);
            var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = true, Timestamps = true };
            if (since is { } s)
            {
                parameters.Since = (s.ToUnixTimeMilliseconds() / 1000m).ToString("0.000", CultureInfo.InvariantCulture);
            }
            using var stream = await docker.Containers.GetContainerLogsAsync(containerId, false, parameters, cancellationToken);
            await using var output = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            await PumpAsync(stream, output, since, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is DockerApiException or IOException or UnauthorizedAccessException)
        {
            LogCopyFailed(logger, containerId, e);
        }
    }

    private static async Task PumpAsync(MultiplexedStream stream, FileStream output, DateTimeOffset? after, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        var pending = new Dictionary<MultiplexedStream.TargetStream, StringBuilder>
        {
            [MultiplexedStream.TargetStream.StandardOut] = new(),
            [MultiplexedStream.TargetStream.StandardError] = new(),
        };
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                break;
            }
            if (!pending.TryGetValue(read.Target, out var text))
            {
                continue;
            }
            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            var name = read.Target == MultiplexedStream.TargetStream.StandardError ? "stderr" : "stdout";
            await WriteCompleteLinesAsync(text, name, output, after, cancellationToken);
        }
        foreach (var (target, text) in pending)
        {
            if (text.Length > 0)
            {
                var (time, content) = CriLogFormat.SplitDockerLine(text.ToString(), DateTimeOffset.UtcNow);
                var line = CriLogFormat.Line(time, target == MultiplexedStream.TargetStream.StandardError ? "stderr" : "stdout", partial: true, content);
                await output.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
            }
        }
        await output.FlushAsync(cancellationToken);
    }

    private static async Task WriteCompleteLinesAsync(StringBuilder text, string stream, FileStream output, DateTimeOffset? after, CancellationToken cancellationToken)
    {
        var all = text.ToString();
        var end = all.LastIndexOf('\n');
        if (end < 0)
        {
            return;
        }
        text.Remove(0, end + 1);
        var lines = new StringBuilder();
        foreach (var raw in all[..end].Split('\n'))
        {
            var (time, content) = CriLogFormat.SplitDockerLine(raw, DateTimeOffset.UtcNow);
            if (after is { } a && time <= a)
            {
                continue; // already copied before a restart
            }
            lines.Append(CriLogFormat.Line(time, stream, partial: false, content));
        }
        await output.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    [LoggerMessage(EventId = 6501, Level = LogLevel.Warning, Message = "copying the logs of container {ContainerId} failed")]
    private static partial void LogCopyFailed(ILogger logger, string containerId, Exception exception);
}
