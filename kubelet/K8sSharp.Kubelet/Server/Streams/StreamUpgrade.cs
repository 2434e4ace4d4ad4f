using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace K8sSharp.Kubelet.Server.Streams;

/// <summary>An upgraded connection: a WebSocket, or the raw stream of an HTTP/1.1 <c>Upgrade: SPDY/3.1</c>.</summary>
internal sealed record UpgradedConnection(WebSocket? WebSocket, Stream? Spdy, string Protocol);

/// <summary>
/// Answers the upgrade that exec, attach and port-forward arrive with, as upstream's kubelet: a WebSocket handshake
/// naming one of the offered subprotocols (<c>Sec-WebSocket-Protocol</c>), or <c>Upgrade: SPDY/3.1</c> with the first
/// of our <c>X-Stream-Protocol-Version</c>s the client also offers, echoed in the 101 answer. Anything else gets a 400
/// Status, and null is returned.
/// </summary>
internal static class StreamUpgrade
{
    public static async Task<UpgradedConnection?> AcceptAsync(HttpContext context, IReadOnlyList<string> webSocketProtocols, IReadOnlyList<string> spdyProtocols)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.WebSockets.IsWebSocketRequest)
        {
            var offered = context.WebSockets.WebSocketRequestedProtocols;
            var chosen = webSocketProtocols.FirstOrDefault(offered.Contains);
            if (chosen is null)
            {
                await StatusResponses.BadRequest(context, $"unsupported WebSocket subprotocols [{string.Join(' ', offered)}], expected one of [{string.Join(' ', webSocketProtocols)}]");
                return null;
            }
            return new UpgradedConnection(await WebSocketHandshake.AcceptAsync(context, chosen), null, chosen);
        }
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true } || !IsSpdy(context.Request.Headers.Upgrade))
        {
            await StatusResponses.BadRequest(context, "Upgrade request required");
            return null;
        }
        var versions = context.Request.Headers["X-Stream-Protocol-Version"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
        var protocol = spdyProtocols.FirstOrDefault(versions.Contains);
        if (protocol is null)
        {
            await StatusResponses.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', versions)}], server supports [{string.Join(' ', spdyProtocols)}]");
            return null;
        }
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "SPDY/3.1";
        context.Response.Headers["X-Stream-Protocol-Version"] = protocol;
        return new UpgradedConnection(null, await upgrade.UpgradeAsync(), protocol);
    }

    private static bool IsSpdy(Microsoft.Extensions.Primitives.StringValues upgrade) =>
        upgrade.Any(v => v is not null && v.Contains("SPDY/3.1", StringComparison.OrdinalIgnoreCase));
}
