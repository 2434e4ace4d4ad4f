using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.Dns;

/// <summary>
/// The DNS listener: UDP and TCP on one address and port. Each UDP datagram and each TCP connection is handled on its
/// own task; a TCP connection may carry several queries and is closed after 10 s of silence.
/// </summary>
internal sealed partial class DnsServer(IPEndPoint endpoint, DnsHandler handler, ILogger<DnsServer> logger) : IDisposable
{
    private static readonly TimeSpan TcpIdleTimeout = TimeSpan.FromSeconds(10);
    private UdpClient? udp;
    private TcpListener? tcp;

    /// <summary>The bound UDP endpoint (with the actual port when 0 was asked for).</summary>
    public IPEndPoint UdpEndpoint => (IPEndPoint)udp!.Client.LocalEndPoint!;

    public IPEndPoint TcpEndpoint => (IPEndPoint)tcp!.LocalEndpoint;

    /// <summary>
    /// Binds both sockets (throws when the port is taken), so that a caller knows before serving starts. With port 0
    /// the UDP socket picks a free port and TCP must get the same number, which another process may hold: then both
    /// are given up and another port is tried.
    /// </summary>
    public void Bind()
    {
        for (var attempt = 1; ; attempt++)
        {
            udp = new UdpClient(endpoint);
            tcp = new TcpListener(endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, UdpEndpoint.Port) : endpoint);
            try
            {
                tcp.Start();
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && endpoint.Port == 0 && attempt < 20)
            {
                udp.Dispose();
                tcp.Dispose();
            }
        }
        LogListening(logger, UdpEndpoint);
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(ServeUdpAsync(cancellationToken), ServeTcpAsync(cancellationToken));

    private async Task ServeUdpAsync(CancellationToken cancellationToken)
    {
        var socket = udp ?? throw new InvalidOperationException("Bind first");
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. ICMP port unreachable from an earlier reply's client
            }
            _ = Task.Run(() => AnswerUdpAsync(socket, received, cancellationToken), cancellationToken);
        }
    }

    private async Task AnswerUdpAsync(UdpClient socket, UdpReceiveResult received, CancellationToken cancellationToken)
    {
        try
        {
            if (await handler.HandleAsync(received.Buffer, tcp: false, cancellationToken) is { } response)
            {
                await socket.SendAsync(response, received.RemoteEndPoint, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogQueryFailed(logger, received.RemoteEndPoint, e);
        }
    }

    private async Task ServeTcpAsync(CancellationToken cancellationToken)
    {
        var listener = tcp ?? throw new InvalidOperationException("Bind first");
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => AnswerTcpAsync(client, cancellationToken), cancellationToken);
        }
    }

    private async Task AnswerTcpAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(TcpIdleTimeout);
                if (await DnsTcpFraming.ReadAsync(stream, idle.Token) is not { } query
                    || await handler.HandleAsync(query, tcp: true, cancellationToken) is not { } response)
                {
                    return;
                }
                await DnsTcpFraming.WriteAsync(stream, response, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // Idle, closed by the client, or shutting down.
        }
    }

    public void Dispose()
    {
        udp?.Dispose();
        tcp?.Stop();
        tcp?.Dispose();
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "cluster DNS listening on {Endpoint} (UDP and TCP)")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "DNS query from {Client} failed")]
    private static partial void LogQueryFailed(ILogger logger, IPEndPoint client, Exception exception);
}
