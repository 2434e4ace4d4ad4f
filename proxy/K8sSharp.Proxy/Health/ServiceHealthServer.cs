using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Proxy.Health;

/// <summary>
/// Listens on every health check node port the proxier programmed (all addresses, plain HTTP/1.1, any path and method,
/// as upstream) and answers each request from the latest <see cref="ServiceHealth"/>; <see cref="Update"/> after each
/// sync opens the new ports and closes the ones no longer used. A port that cannot be bound (taken by another
/// process) is logged and retried on the next update.
/// </summary>
internal sealed partial class ServiceHealthServer(ProxyHealth proxyHealth, ILogger<ServiceHealthServer> logger) : IDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<int, (TcpListener Listener, CancellationTokenSource Stop)> listeners = [];
    private Dictionary<int, ServiceHealth> services = [];

    public IReadOnlyCollection<int> Ports
    {
        get
        {
            lock (gate)
            {
                return [.. listeners.Keys];
            }
        }
    }

    public void Update(Dictionary<int, ServiceHealth> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        lock (gate)
        {
            services = current;
            foreach (var port in listeners.Keys.Where(p => !current.ContainsKey(p)).ToList())
            {
                Close(port);
            }
            foreach (var port in current.Keys.Where(p => !listeners.ContainsKey(p)))
            {
                Open(port);
            }
        }
    }

    private void Open(int port)
    {
        var listener = new TcpListener(IPAddress.Any, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            LogCannotListen(logger, port, e.Message);
            return;
        }
        var stop = new CancellationTokenSource();
        listeners[port] = (listener, stop);
        _ = AcceptAsync(listener, port, stop.Token);
    }

    private void Close(int port)
    {
        var (listener, stop) = listeners[port];
        listeners.Remove(port);
        stop.Cancel();
        listener.Stop();
        listener.Dispose();
        stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, int port, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client, port);
        }
    }

    /// <summary>Reads the request head (at most 8 KiB, 5 s) and answers; the connection is closed after one answer.</summary>
    private async Task ServeAsync(TcpClient client, int port)
    {
        using (client)
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                var stream = client.GetStream();
                var head = new byte[8192];
                var read = 0;
                while (read < head.Length && !Encoding.ASCII.GetString(head, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(head.AsMemory(read), timeout.Token);
                    if (n == 0)
                    {
                        return;
                    }
                    read += n;
                }
                await stream.WriteAsync(Response(port), timeout.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away or was too slow: nothing to answer.
            }
        }
    }

    private byte[] Response(int port)
    {
        ServiceHealth? service;
        lock (gate)
        {
            service = services.GetValueOrDefault(port);
        }
        var (status, body) = service?.Answer(proxyHealth.Report().Healthy) ?? (503, "{}");
        var text = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Service Unavailable")}\r\nContent-Type: application/json\r\n"
            + $"X-Content-Type-Options: nosniff\r\nX-Load-Balancing-Endpoint-Weight: {service?.LocalEndpoints ?? 0}\r\n"
            + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        return Encoding.UTF8.GetBytes(text);
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var port in listeners.Keys.ToList())
            {
                Close(port);
            }
        }
    }

    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "cannot listen on health check node port {Port}: {Error}")]
    private static partial void LogCannotListen(ILogger logger, int port, string error);
}
