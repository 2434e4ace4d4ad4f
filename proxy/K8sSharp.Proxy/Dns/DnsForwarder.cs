using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace K8sSharp.Proxy.Dns;

/// <summary>
/// Relays a query, byte for byte, to the upstream resolvers in order until one answers (2 s each), over UDP, or over TCP
/// when the client used TCP or the UDP answer came back truncated. Returns null when none answered.
/// </summary>
internal sealed class DnsForwarder(IReadOnlyList<IPEndPoint> upstreams, TimeSpan timeout)
{
    public async Task<byte[]?> ForwardAsync(byte[] query, bool tcp, CancellationToken cancellationToken)
    {
        foreach (var upstream in upstreams)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                var answer = tcp ? null : await UdpAsync(upstream, query, deadline.Token);
                if (answer is null || (answer.Length > 2 && (answer[2] & 0x02) != 0))
                {
                    answer = await TcpAsync(upstream, query, deadline.Token);
                }
                return answer;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // Try the next resolver.
            }
        }
        return null;
    }

    private static async Task<byte[]?> UdpAsync(IPEndPoint upstream, byte[] query, CancellationToken cancellationToken)
    {
        using var udp = new UdpClient(upstream.AddressFamily);
        udp.Connect(upstream);
        await udp.SendAsync(query, cancellationToken);
        while (true)
        {
            var result = await udp.ReceiveAsync(cancellationToken);
            // Only the reply to this query's id counts (a stray datagram must not be relayed).
            if (result.Buffer.Length >= 2 && result.Buffer[0] == query[0] && result.Buffer[1] == query[1])
            {
                return result.Buffer;
            }
        }
    }

    private static async Task<byte[]> TcpAsync(IPEndPoint upstream, byte[] query, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient(upstream.AddressFamily);
        await tcp.ConnectAsync(upstream, cancellationToken);
        var stream = tcp.GetStream();
        await DnsTcpFraming.WriteAsync(stream, query, cancellationToken);
        return await DnsTcpFraming.ReadAsync(stream, cancellationToken) ?? throw new IOException("upstream closed the connection");
    }
}

/// <summary>DNS over TCP: each message is preceded by its length as two bytes (RFC 1035 4.2.2).</summary>
internal static class DnsTcpFraming
{
    public static async Task WriteAsync(Stream stream, byte[] message, CancellationToken cancellationToken)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken);
    }

    /// <summary>The next message, or null at a clean end of stream.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[2];
        if (await stream.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false, cancellationToken) < 2)
        {
            return null;
        }
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await stream.ReadExactlyAsync(message, cancellationToken);
        return message;
    }
}
