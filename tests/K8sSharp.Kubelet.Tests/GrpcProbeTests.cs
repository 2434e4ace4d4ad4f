using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Health.V1;
using k8s.Models;
using K8sSharp.Kubelet.Probes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace K8sSharp.Kubelet.Tests;

/// <summary>
/// The grpc probe against a real HTTP/2 cleartext (prior knowledge) Kestrel server that implements
/// grpc.health.v1.Health/Check by hand: gRPC length-prefixed protobuf messages and a grpc-status trailer.
/// </summary>
public sealed class GrpcProbeTests : IAsyncLifetime
{
    private const string CheckPath = "/grpc.health.v1.Health/Check";

    /// <summary>What the server answers per service name; a name missing here gets NOT_FOUND, as grpc-go's health server.</summary>
    private static readonly Dictionary<string, HealthCheckResponse.Types.ServingStatus> Statuses = new()
    {
        [""] = HealthCheckResponse.Types.ServingStatus.Serving,
        ["serving"] = HealthCheckResponse.Types.ServingStatus.Serving,
        ["down"] = HealthCheckResponse.Types.ServingStatus.NotServing,
    };

    private readonly List<(string Service, string UserAgent)> requests = [];
    private readonly Handlers handlers = new(null!, null!);
    private WebApplication app = null!;
    private int port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        app = builder.Build();
        app.MapPost(CheckPath, CheckAsync);
        app.MapPost("/grpc.health.v1.Health/{other}", (HttpContext context) => TrailersOnly(context, Grpc.Core.StatusCode.Unimplemented, "unknown method"));
        await app.StartAsync();
        port = new Uri(app.Urls.First()).Port;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task CheckAsync(HttpContext context)
    {
        var request = HealthCheckRequest.Parser.ParseFrom(await ReadMessageAsync(context.Request.Body));
        lock (requests)
        {
            requests.Add((request.Service, context.Request.Headers.UserAgent.ToString()));
        }
        if (request.Service == "slow")
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        if (!Statuses.TryGetValue(request.Service, out var status))
        {
            TrailersOnly(context, Grpc.Core.StatusCode.NotFound, "unknown service");
            return;
        }
        context.Response.ContentType = "application/grpc";
        await WriteMessageAsync(context.Response.Body, new HealthCheckResponse { Status = status }.ToByteArray());
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static void TrailersOnly(HttpContext context, Grpc.Core.StatusCode code, string message)
    {
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = message;
    }

    /// <summary>One gRPC message: a compressed flag byte, a big-endian 4-byte length, the protobuf bytes.</summary>
    private static async Task<byte[]> ReadMessageAsync(Stream body)
    {
        var header = new byte[5];
        await body.ReadExactlyAsync(header);
        var message = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await body.ReadExactlyAsync(message);
        return message;
    }

    private static async Task WriteMessageAsync(Stream body, byte[] message)
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)message.Length);
        await body.WriteAsync(header);
        await body.WriteAsync(message);
    }

    private Task<HandlerResult> ProbeAsync(string? service, int? onPort = null, double timeoutSeconds = 5) => handlers.ProbeAsync(
        new V1Probe { Grpc = new V1GRPCAction { Port = onPort ?? port, Service = service } },
        new HandlerTarget(new V1Container { Name = "c" }, "id", "127.0.0.1"), TimeSpan.FromSeconds(timeoutSeconds), CancellationToken.None);

    [Theory]
    [InlineData(null)]
    [InlineData("serving")]
    public async Task Succeeds_when_the_service_is_SERVING_and_sends_the_service_name_and_probe_user_agent(string? service)
    {
        var result = await ProbeAsync(service);

        result.Should().Be(new HandlerResult(true, "service healthy"));
        requests.Should().ContainSingle().Which.Service.Should().Be(service ?? "");
        requests[0].UserAgent.Should().StartWith(Handlers.UserAgent);
    }

    [Fact]
    public async Task Fails_with_the_proto_status_name_when_the_service_is_NOT_SERVING()
    {
        var result = await ProbeAsync("down");

        result.Should().Be(new HandlerResult(false, "service unhealthy (responded with \"NOT_SERVING\")"));
    }

    [Fact]
    public async Task Fails_with_the_rpc_error_when_the_service_is_unknown()
    {
        var result = await ProbeAsync("nobody");

        result.Should().Be(new HandlerResult(false, "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"));
    }

    [Fact]
    public async Task Fails_with_a_timeout_when_the_server_does_not_answer_within_the_probe_timeout()
    {
        var result = await ProbeAsync("slow", timeoutSeconds: 1);

        result.Should().Be(new HandlerResult(false, "timeout: health rpc did not complete within 1s"));
    }

    [Fact]
    public async Task Fails_to_connect_on_a_closed_port()
    {
        using var probeListener = new TcpListener(IPAddress.Loopback, 0);
        probeListener.Start();
        var closed = ((IPEndPoint)probeListener.LocalEndpoint).Port;
        probeListener.Stop();

        var result = await ProbeAsync(null, onPort: closed);

        result.Success.Should().BeFalse();
        result.Message.Should().StartWith($"error: failed to connect service at \"127.0.0.1:{closed}\": ");
        requests.Should().BeEmpty();
    }
}
