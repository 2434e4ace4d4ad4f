namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>
/// Waits, at the end of a followed log file, for more to read. Returns false once the container is gone: the reader
/// then reads what is left and stops (upstream's waitLogs).
/// </summary>
internal interface ILogFollower
{
    Task<bool> WaitAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads one container's CRI log file for <c>kubectl logs</c>, as upstream's kuberuntime ReadLogs: from the start of the
/// last <c>tailLines</c> lines, writing each parsed line through <see cref="LogWriter"/> (since, timestamps,
/// limitBytes), and with <c>follow</c> waiting at the end for more, reopening the file when it was replaced
/// (rotated) under the same name, until the container is gone or the client leaves.
/// </summary>
internal static class CriLogReader
{
    private const int BufferSize = 64 * 1024;

    public static async Task ReadAsync(string path, LogRequest request, Stream output, ILogFollower follower, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(follower);
        var writer = new LogWriter(output, request);
        var file = Open(path);
        try
        {
            if (request.TailLines is { } lines)
            {
                file.Position = await TailOffset.FindAsync(file, lines, cancellationToken);
            }
            var pending = new MemoryStream();
            var buffer = new byte[BufferSize];
            var lastRound = !request.Follow;
            while (!writer.Full)
            {
                var read = await file.ReadAsync(buffer, cancellationToken);
                if (read > 0)
                {
                    await WriteLinesAsync(buffer.AsMemory(0, read), pending, writer, cancellationToken);
                    continue;
                }
                if (request.Follow && FileIdentity.Replaced(path, file))
                {
                    // Rotated: the old file is drained, go on with the new one from its start.
                    await file.DisposeAsync();
                    file = Open(path);
                    pending.SetLength(0);
                    continue;
                }
                if (lastRound)
                {
                    // Not following: an unterminated last line is still a line. Following: it is being written.
                    await WriteRestAsync(pending, writer, request.Follow, cancellationToken);
                    break;
                }
                await writer.FlushAsync(cancellationToken);
                lastRound = !await follower.WaitAsync(cancellationToken);
            }
            await writer.FlushAsync(cancellationToken);
        }
        finally
        {
            await file.DisposeAsync();
        }
    }

    private static FileStream Open(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, Options = FileOptions.Asynchronous });

    private static async Task WriteLinesAsync(ReadOnlyMemory<byte> chunk, MemoryStream pending, LogWriter writer, CancellationToken cancellationToken)
    {
        while (chunk.Length > 0 && !writer.Full)
        {
            var newline = chunk.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Write(chunk.Span);
                return;
            }
            ReadOnlyMemory<byte> line;
            if (pending.Length > 0)
            {
                pending.Write(chunk.Span[..newline]);
                line = pending.ToArray();
                pending.SetLength(0);
            }
            else
            {
                line = chunk[..newline];
            }
            chunk = chunk[(newline + 1)..];
            if (CriLine.TryParse(line, out var parsed))
            {
                await writer.WriteAsync(parsed, cancellationToken);
            }
        }
    }

    private static async Task WriteRestAsync(MemoryStream pending, LogWriter writer, bool following, CancellationToken cancellationToken)
    {
        if (!following && pending.Length > 0 && CriLine.TryParse(pending.ToArray(), out var parsed))
        {
            await writer.WriteAsync(parsed, cancellationToken);
        }
    }
}
