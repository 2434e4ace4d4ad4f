namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>Where the last N lines of a file start (upstream's FindTailLineStartIndex): read backwards in blocks.</summary>
internal static class TailOffset
{
    private const int BlockSize = 64 * 1024;

    public static async Task<long> FindAsync(FileStream file, long lines, CancellationToken cancellationToken)
    {
        var end = file.Length;
        if (lines == 0 || end == 0)
        {
            return lines == 0 ? end : 0;
        }
        var buffer = new byte[BlockSize];
        var newlines = 0L;
        var position = end;
        var skipFinal = true; // the newline that ends the file ends the last line; it does not start one
        while (position > 0)
        {
            var size = (int)Math.Min(BlockSize, position);
            position -= size;
            file.Position = position;
            await file.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken);
            for (var i = size - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n')
                {
                    skipFinal = false;
                    continue;
                }
                if (skipFinal)
                {
                    skipFinal = false;
                    continue;
                }
                if (++newlines == lines)
                {
                    return position + i + 1;
                }
            }
        }
        return 0;
    }
}
