using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace K8sSharp.Kubelet.Server.Streams;

/// <summary>
/// The server side of an HTTP/1.1 WebSocket handshake (RFC 6455 section 4.2.2), done here rather than by ASP.NET's
/// middleware because that refuses subprotocols with a '/' (it validates them as RFC 2616 tokens), and kubectl's
/// port-forward asks for <c>SPDY/3.1+portforward.k8s.io</c>. HTTP/2 WebSockets still go through the middleware.
/// </summary>
internal static class WebSocketHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<WebSocket> AcceptAsync(HttpContext context, string subProtocol)
    {
        ArgumentNullException.ThrowIfNull(context);
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            return await context.WebSockets.AcceptWebSocketAsync(subProtocol);
        }
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
        context.Response.Headers.SecWebSocketProtocol = subProtocol;
        var stream = await upgrade.UpgradeAsync();
        // kubectl pings every 5 s; the server need not ping, it answers pings.
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
    }

    /// <summary>Sec-WebSocket-Accept: base64(SHA-1(key + GUID)). RFC 6455 fixes SHA-1 here; it proves nothing secret.</summary>
#pragma warning disable CA5350 // the protocol mandates SHA-1; it is not used for security
    internal static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + Guid)));
#pragma warning restore CA5350
}
