using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s.Models;
using K8sSharp.Kubelet.Probes;

namespace K8sSharp.Kubelet.Tests;

/// <summary>The network probe handlers against real sockets on loopback.</summary>
public sealed class HandlersTests : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly HttpMessageInvoker http = Handlers.CreateHttpClient();
    private readonly Handlers handlers;

    public HandlersTests()
    {
        listener.Start();
        handlers = new Handlers(null!, http);
    }

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static HandlerTarget Target(params V1ContainerPort[] ports) => new(new V1Container { Name = "c", Ports = [.. ports] }, "id", "127.0.0.1");

    public void Dispose()
    {
        listener.Stop();
        http.Dispose();
    }

    /// <summary>Answers one HTTP request with <paramref name="status"/> and returns the request it read.</summary>
    private async Task<string> AnswerOnceAsync(int status)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var response = $"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(302, true)]
    [InlineData(500, false)]
    public async Task HttpGet_succeeds_on_2xx_and_3xx_and_sends_the_probe_user_agent(int status, bool success)
    {
        var server = AnswerOnceAsync(status);
        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "web", HttpHeaders = [new V1HTTPHeader { Name = "X-Probe", Value = "1" }] } };

        var result = await handlers.ProbeAsync(probe, Target(new V1ContainerPort { Name = "web", ContainerPort = Port }), TimeSpan.FromSeconds(5), CancellationToken.None);

        var request = await server;
        request.Should().StartWith("GET /healthz HTTP/1.1").And.Contain("User-Agent: kube-probe/1.35").And.Contain("X-Probe: 1");
        result.Success.Should().Be(success);
        if (!success)
        {
            result.Message.Should().Be("HTTP probe failed with statuscode: 500");
        }
    }

    [Fact]
    public async Task TcpSocket_succeeds_when_a_connection_opens_and_fails_when_refused()
    {
        var open = await handlers.ProbeAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture) } }, Target(), TimeSpan.FromSeconds(5), CancellationToken.None);
        listener.Stop();
        var refused = await handlers.ProbeAsync(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture) } }, Target(), TimeSpan.FromSeconds(5), CancellationToken.None);

        open.Success.Should().BeTrue();
        refused.Success.Should().BeFalse();
        refused.Message.Should().StartWith($"dial tcp 127.0.0.1:{Port}: connect:");
    }
}
