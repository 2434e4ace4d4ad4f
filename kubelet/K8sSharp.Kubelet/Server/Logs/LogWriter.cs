namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>
/// Writes parsed CRI lines as <c>kubectl logs</c> shows them, as upstream's logWriter: the content only, prefixed by
/// the line's timestamp and a space when timestamps are asked for (once per output line: partial lines are joined),
/// skipping lines before <c>since</c>, and cutting the output at <c>limitBytes</c>.
/// </summary>
internal sealed class LogWriter(Stream output, LogRequest request)
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private long remaining = request.LimitBytes ?? long.MaxValue;
    private bool atLineStart = true;

    /// <summary>True once limitBytes bytes were written: the reader stops.</summary>
    public bool Full => remaining <= 0;

    public async Task WriteAsync(CriLine line, CancellationToken cancellationToken)
    {
        if (Full || (request.Since is { } since && line.Time < since))
        {
            return;
        }
        if (request.Timestamps && atLineStart)
        {
            await PutAsync(line.TimestampText, cancellationToken);
            await PutAsync(" "u8.ToArray(), cancellationToken);
        }
        await PutAsync(line.Content, cancellationToken);
        if (!line.Partial)
        {
            await PutAsync(Newline, cancellationToken);
        }
        atLineStart = !line.Partial;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    private async Task PutAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (Full)
        {
            return;
        }
        var take = (int)Math.Min(bytes.Length, remaining);
        await output.WriteAsync(bytes[..take], cancellationToken);
        remaining -= take;
    }
}
