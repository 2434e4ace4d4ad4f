using System.Globalization;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using k8s.Models;
using K8sSharp.Client.CommandLine;
using K8sSharp.Kubelet.Runtime;

namespace K8sSharp.Kubelet.Probes;

/// <summary>What a probe or lifecycle handler acts on: the container (for exec) and the pod IP (for network checks).</summary>
internal sealed record HandlerTarget(V1Container Container, string ContainerId, string PodIp);

/// <summary>The outcome of one probe or hook: success, and what to say about a failure.</summary>
internal sealed record HandlerResult(bool Success, string Message);

/// <summary>
/// Runs the action of a probe (exec, httpGet, tcpSocket, grpc) or of a lifecycle hook (exec, httpGet, sleep) within a
/// time-out, as upstream's prober and lifecycle handler runner: exec succeeds on exit 0; httpGet on a status in
/// [200, 400) with User-Agent kube-probe/1.35; tcpSocket when a connection opens; grpc when grpc.health.v1 reports
/// SERVING. Named ports resolve through the container's ports.
/// </summary>
internal sealed class Handlers(IContainerRuntime runtime, HttpMessageInvoker http)
{
    public const string UserAgent = "kube-probe/1.35";

    // Probes do not verify certificates: upstream's HTTPS probes use InsecureSkipVerify, pods serve self-signed certs.
#pragma warning disable CA5359
    public static HttpMessageInvoker CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 10,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    });
#pragma warning restore CA5359

    public Task<HandlerResult> ProbeAsync(V1Probe probe, HandlerTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(target);
        return probe switch
        {
            { Exec: { } exec } => ExecAsync(exec.Command, target, timeout, cancellationToken),
            { HttpGet: { } httpGet } => HttpGetAsync(httpGet, target, timeout, cancellationToken),
            { TcpSocket: { } tcp } => TcpAsync(tcp.Host, tcp.Port, target, timeout, cancellationToken),
            { Grpc: { } grpc } => GrpcAsync(grpc, target, timeout, cancellationToken),
            _ => Task.FromResult(new HandlerResult(false, "probe has no handler")),
        };
    }

    public async Task<HandlerResult> HookAsync(V1LifecycleHandler hook, HandlerTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(target);
        if (hook.Sleep is { } sleep)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(sleep.Seconds, timeout.TotalSeconds)), cancellationToken);
            return new HandlerResult(true, "");
        }
        return hook switch
        {
            { Exec: { } exec } => await ExecAsync(exec.Command, target, timeout, cancellationToken),
            { HttpGet: { } httpGet } => await HttpGetAsync(httpGet, target, timeout, cancellationToken),
            { TcpSocket: { } tcp } => await TcpAsync(tcp.Host, tcp.Port, target, timeout, cancellationToken),
            _ => new HandlerResult(false, "lifecycle hook has no handler"),
        };
    }

    private async Task<HandlerResult> ExecAsync(IList<string> command, HandlerTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var result = await runtime.ExecAsync(target.ContainerId, command, timeout, cancellationToken);
            return result.ExitCode == 0
                ? new HandlerResult(true, result.Output)
                : new HandlerResult(false, result.ExitCode < 0 ? result.Output
                    : string.IsNullOrWhiteSpace(result.Output) ? $"command {Quote(command)} exited with {result.ExitCode}" : result.Output.TrimEnd());
        }
        catch (Docker.DotNet.DockerApiException e)
        {
            return new HandlerResult(false, e.Message);
        }
    }

    private static string Quote(IList<string> command) => "\"" + string.Join(' ', command) + "\"";

    private async Task<HandlerResult> HttpGetAsync(V1HTTPGetAction action, HandlerTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = string.IsNullOrEmpty(action.Host) ? target.PodIp : action.Host;
        var port = ResolvePort(action.Port, target.Container);
        var path = string.IsNullOrEmpty(action.Path) ? "/" : action.Path.StartsWith('/') ? action.Path : "/" + action.Path;
        var url = new Uri($"{(action.Scheme ?? "HTTP").ToLowerInvariant()}://{host}:{port.ToString(CultureInfo.InvariantCulture)}{path}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        foreach (var header in action.HttpHeaders ?? [])
        {
            request.Headers.Remove(header.Name);
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400
                ? new HandlerResult(true, "")
                : new HandlerResult(false, $"HTTP probe failed with statuscode: {code}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HandlerResult(false, $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e)
        {
            return new HandlerResult(false, $"Get \"{url}\": {e.Message}");
        }
    }

    private static async Task<HandlerResult> TcpAsync(string? host, IntOrString portValue, HandlerTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = string.IsNullOrEmpty(host) ? target.PodIp : host;
        var port = ResolvePort(portValue, target.Container);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(address, port, deadline.Token);
            return new HandlerResult(true, "");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HandlerResult(false, $"dial tcp {address}:{port}: i/o timeout");
        }
        catch (SocketException e)
        {
            return new HandlerResult(false, $"dial tcp {address}:{port}: connect: {e.Message}");
        }
    }

    /// <summary>
    /// grpc.health.v1.Health/Check over HTTP/2 cleartext (prior knowledge, no TLS: upstream supports no credentials),
    /// with upstream's failure messages. The deadline covers connecting and the call.
    /// </summary>
    private static async Task<HandlerResult> GrpcAsync(V1GRPCAction action, HandlerTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = HostPort(target.PodIp, action.Port);
        try
        {
            using var channel = GrpcChannel.ForAddress("http://" + address, new GrpcChannelOptions { HttpHandler = new ProbeUserAgent(new SocketsHttpHandler()) });
            var client = new Health.HealthClient(channel);
            var response = await client.CheckAsync(
                new HealthCheckRequest { Service = action.Service ?? "" }, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? new HandlerResult(true, "service healthy")
                : new HandlerResult(false, $"service unhealthy (responded with \"{ProtoName(response.Status)}\")");
        }
        catch (Grpc.Core.RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HandlerResult(false, GrpcFailure(e.Status, address, timeout));
        }
    }

    private static string GrpcFailure(Grpc.Core.Status status, string address, TimeSpan timeout) => status.StatusCode switch
    {
        Grpc.Core.StatusCode.DeadlineExceeded => $"timeout: health rpc did not complete within {GoDuration.Format(timeout)}",
        Grpc.Core.StatusCode.Unimplemented => $"error: this server does not implement the grpc health protocol (grpc.health.v1.Health): {status.Detail}",
        // A refused or reset connection: upstream's blocking dial reports it as a failed connect.
        Grpc.Core.StatusCode.Unavailable when status.DebugException is not null => $"error: failed to connect service at \"{address}\": {status.DebugException.Message}",
        _ => $"error: health rpc probe failed: rpc error: code = {status.StatusCode} desc = {status.Detail}",
    };

    /// <summary>
    /// Puts kube-probe/1.35 first in the User-Agent (grpc-dotnet sets its own), as grpc-go's WithUserAgent prefixes it.
    /// </summary>
    private sealed class ProbeUserAgent(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var library = request.Headers.TryGetValues("User-Agent", out var values) ? " " + string.Join(' ', values) : "";
            request.Headers.Remove("User-Agent");
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent + library);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The enum value's name in the .proto (SERVING, NOT_SERVING, SERVICE_UNKNOWN), as Go's String() prints it.</summary>
    private static string ProtoName(HealthCheckResponse.Types.ServingStatus status) =>
        HealthCheckResponse.Descriptor.EnumTypes.Single(e => e.Name == "ServingStatus").FindValueByNumber((int)status)?.Name ?? ((int)status).ToString(CultureInfo.InvariantCulture);

    /// <summary>Go's net.JoinHostPort: an IPv6 address in brackets.</summary>
    private static string HostPort(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>An IntOrString port: a number, or the name of one of the container's ports.</summary>
    public static int ResolvePort(IntOrString port, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(container);
        var value = port.Value;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        return container.Ports?.FirstOrDefault(p => p.Name == value)?.ContainerPort
            ?? throw new ArgumentException($"couldn't find port {value} in container {container.Name}");
    }
}
