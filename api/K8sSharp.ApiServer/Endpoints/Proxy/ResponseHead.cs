using System.Globalization;
using System.Text;

namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>Reads an HTTP/1.1 response's status line and headers from a raw stream (for upgraded connections).</summary>
internal static class ResponseHead
{
    private const int MaxHeadBytes = 64 * 1024;

    /// <summary>
    /// The status (0 when the stream ended first), the headers, and any bytes read past the blank line, which
    /// already belong to the upgraded protocol.
    /// </summary>
    public static async Task<(int Status, ILookup<string, string> Headers, ReadOnlyMemory<byte> Leftover)> ReadAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
            {
                return (0, Array.Empty<string>().ToLookup(h => h), ReadOnlyMemory<byte>.Empty);
            }
            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var (status, headers) = Parse(Encoding.Latin1.GetString(buffer, 0, end));
                return (status, headers, buffer.AsMemory(end + 4, filled - end - 4));
            }
        }
        throw new InvalidDataException("the backend's response headers exceed 64 KiB");
    }

    internal static (int Status, ILookup<string, string> Headers) Parse(string head)
    {
        var lines = head.Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException($"not an HTTP response: '{lines[0]}'");
        }
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToLookup(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return (status, headers);
    }
}
