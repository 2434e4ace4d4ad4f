using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using K8sSharp.Streaming.Spdy;

namespace K8sSharp.Streaming.PortForward;

/// <summary>Opens a connection to <paramref name="port"/> of the pod (e.g. TCP to the pod's IP).</summary>
public delegate Task<Stream> PortDialer(int port, CancellationToken ct);

/// <summary>
/// portforward.k8s.io over one SPDY connection (plain or tunnelled in WebSocket), as upstream's kubelet serves it:
/// for every local connection the client opens an <c>error</c> and a <c>data</c> stream sharing a <c>requestID</c>
/// and naming the <c>port</c>; once both exist the pod's port is dialled and bytes are copied both ways. A failure is
/// reported as text on the error stream.
/// </summary>
public sealed class PortForwardSession(PortDialer dial, string podDescription)
{
    private readonly ConcurrentDictionary<string, Pair> pairs = new();

    public async Task ServeAsync(Stream transport, CancellationToken ct)
    {
        await using var connection = new SpdyConnection(transport);
        var forwards = new ConcurrentBag<Task>();
        await connection.RunAsync(stream => Accept(stream, forwards, ct), ct);
        await Task.WhenAll(forwards);
    }

    private void Accept(SpdyStream stream, ConcurrentBag<Task> forwards, CancellationToken ct)
    {
        var requestId = stream.Header("requestID") ?? stream.Id.ToString(CultureInfo.InvariantCulture);
        var pair = pairs.GetOrAdd(requestId, _ => new Pair());
        lock (pair)
        {
            if (stream.Header("streamType") == "error")
            {
                pair.Error = stream;
            }
            else
            {
                pair.Data = stream;
            }
            if (pair is { Error: { } error, Data: { } data })
            {
                pairs.TryRemove(requestId, out _);
                forwards.Add(Task.Run(() => ForwardAsync(error, data, ct), CancellationToken.None));
            }
        }
    }

    private async Task ForwardAsync(SpdyStream error, SpdyStream data, CancellationToken ct)
    {
        var portText = data.Header("port");
        try
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"invalid port \"{portText}\"");
            }
            await using var target = await dial(port, ct);
            var upstream = CopyThenAsync(data.Input, target, () => ShutdownSendAsync(target), ct);
            var downstream = CopyThenAsync(target, data.Output, data.CloseAsync, ct);
            await Task.WhenAll(upstream, downstream);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = $"error forwarding port {portText} to pod {podDescription}: {e.Message}";
            await error.Output.WriteAsync(Encoding.UTF8.GetBytes(message), CancellationToken.None);
        }
        finally
        {
            await data.CloseAsync();
            await error.CloseAsync();
        }
    }

    /// <summary>Copies until <paramref name="from"/> ends, then tells the other side (FIN or a TCP half-close).</summary>
    private static async Task CopyThenAsync(Stream from, Stream to, Func<Task> afterEnd, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, ct);
            await afterEnd();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // One side closed; the other copy ends when its source does.
        }
    }

    private static Task ShutdownSendAsync(Stream target)
    {
        if (target is System.Net.Sockets.NetworkStream network)
        {
            network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }
        return Task.CompletedTask;
    }

    private sealed class Pair
    {
        public SpdyStream? Error { get; set; }

        public SpdyStream? Data { get; set; }
    }
}
