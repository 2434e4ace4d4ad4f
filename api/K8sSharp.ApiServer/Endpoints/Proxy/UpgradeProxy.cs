using System.Globalization;
using System.Text;
using K8sSharp.Api.Meta;
using Microsoft.AspNetCore.Http.Features;

namespace K8sSharp.ApiServer.Endpoints.Proxy;

/// <summary>
/// Proxies an HTTP/1.1 upgrade (WebSocket <c>v5.channel.k8s.io</c> for exec/attach, SPDY/3.1 or its WebSocket tunnel
/// for port-forward) byte for byte: the request goes to the backend with its upgrade headers, the backend's
/// <c>101 Switching Protocols</c> headers come back to the client, then both directions are copied until either side
/// closes. The streaming protocol itself is the backend's business, as in upstream's UpgradeAwareHandler.
/// </summary>
internal static class UpgradeProxy
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Authorization", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
    };

    public static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true };

    public static async Task ProxyAsync(HttpContext context, BackendTransport transport, Uri target, CancellationToken ct)
    {
        await using var backend = await transport.ConnectAsync(target, ct);
        await backend.WriteAsync(RequestHead(context, target), ct);
        var (status, headers, leftover) = await ResponseHead.ReadAsync(backend, ct);
        if (status != StatusCodes.Status101SwitchingProtocols)
        {
            await RelayFailureAsync(context, status, headers, leftover, backend, ct);
            return;
        }
        foreach (var header in headers.Where(h => !h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Headers[header.Key] = header.ToArray();
        }
        await using var client = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
        await client.WriteAsync(leftover, ct);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = CopyAsync(client, backend, done.Token);
        var down = CopyAsync(backend, client, done.Token);
        await Task.WhenAny(up, down);
        await done.CancelAsync();
        await Task.WhenAll(up, down);
    }

    private static byte[] RequestHead(HttpContext context, Uri target)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{context.Request.Method} {target.PathAndQuery} HTTP/1.1\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Host: {target.Authority}\r\n");
        foreach (var (name, values) in context.Request.Headers)
        {
            if (NotForwarded.Contains(name))
            {
                continue;
            }
            foreach (var value in values)
            {
                head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }
        }
        head.Append("\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    /// <summary>The backend refused the upgrade: pass its status and body on (a Status from the kubelet, usually).</summary>
    private static async Task RelayFailureAsync(HttpContext context, int status, ILookup<string, string> headers, ReadOnlyMemory<byte> leftover,
        Stream backend, CancellationToken ct)
    {
        if (status == 0)
        {
            throw new ApiException(502, "ServiceUnavailable", "the backend closed the connection before answering the upgrade request");
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = headers["Content-Type"].FirstOrDefault() ?? "text/plain";
        var length = headers["Content-Length"].Select(v => long.Parse(v, CultureInfo.InvariantCulture)).FirstOrDefault(-1);
        await context.Response.Body.WriteAsync(leftover, ct);
        var remaining = length < 0 ? long.MaxValue : length - leftover.Length;
        var buffer = new byte[8192];
        while (remaining > 0 && await backend.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct) is > 0 and var read)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
            remaining -= read;
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken ct)
    {
        try
        {
            var buffer = new byte[16384];
            while (await from.ReadAsync(buffer, ct) is > 0 and var read)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), ct);
                await to.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away; the other copy is cancelled by the caller.
        }
    }
}
