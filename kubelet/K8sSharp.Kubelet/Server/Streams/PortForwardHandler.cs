using System.Net;
using System.Net.Sockets;
using k8s.Models;
using K8sSharp.Streaming;
using K8sSharp.Streaming.PortForward;
using Microsoft.AspNetCore.Http;

namespace K8sSharp.Kubelet.Server.Streams;

/// <summary>
/// <c>/portForward/{ns}/{pod}</c>: SPDY (<c>portforward.k8s.io</c>), plain or tunnelled in a WebSocket
/// (<c>SPDY/3.1+portforward.k8s.io</c>); every forwarded connection dials TCP to the pod's IP as this kubelet knows it
/// (127.0.0.1 for a hostNetwork pod). Only what listens on the pod's interface is reachable, not its loopback.
/// </summary>
internal sealed class PortForwardHandler(INodePods pods)
{
    public const string SpdyProtocol = "portforward.k8s.io";
    public const string WebSocketProtocol = "SPDY/3.1+portforward.k8s.io";

    public async Task ServeAsync(HttpContext context, string ns, string podName)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pod = pods.Get(ns, podName);
        if (pod is null)
        {
            await StatusResponses.NotFound(context, $"pod \"{podName}\" does not exist");
            return;
        }
        if (Address(pod) is not { } address)
        {
            await StatusResponses.BadRequest(context, $"pod \"{podName}\" has no IP address yet");
            return;
        }
        var connection = await StreamUpgrade.AcceptAsync(context, [WebSocketProtocol], [SpdyProtocol]);
        if (connection is null)
        {
            return;
        }
        var session = new PortForwardSession((port, ct) => DialAsync(address, port, ct), $"{ns}/{podName}");
        await using var transport = connection.WebSocket is { } socket ? new WebSocketTunnelStream(socket) : connection.Spdy!;
        try
        {
            await session.ServeAsync(transport, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or System.Net.WebSockets.WebSocketException
            || (e is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            // kubectl port-forward was stopped, possibly without closing the connection.
        }
    }

    internal static IPAddress? Address(V1Pod pod) =>
        pod.Spec.HostNetwork == true ? IPAddress.Loopback
            : IPAddress.TryParse(pod.Status?.PodIP, out var ip) ? ip : null;

    private static async Task<Stream> DialAsync(IPAddress address, int port, CancellationToken ct)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
