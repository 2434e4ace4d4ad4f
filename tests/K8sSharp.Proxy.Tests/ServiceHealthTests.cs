using System.Net;
using System.Net.Sockets;
using K8sSharp.Proxy.Health;
using K8sSharp.Proxy.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static K8sSharp.Proxy.Tests.Builders;

namespace K8sSharp.Proxy.Tests;

/// <summary>Health check node ports of LoadBalancer Services with externalTrafficPolicy Local, as upstream answers them.</summary>
public sealed class ServiceHealthTests
{
    private static ProxiedServicePort Local(string name, int healthPort, params ServiceEndpoint[] endpoints) =>
        Port("ns1", name, "10.96.0.41", endpoints) with { ExternalTrafficLocal = true, HealthCheckNodePort = healthPort };

    [Fact]
    public void Counts_the_ready_endpoints_on_this_node_once_per_address()
    {
        var http = Local("web", 32001, Ready("10.244.1.1"), Ready("10.244.1.2"), Ready("10.244.2.1", node: "node-b"),
            new ServiceEndpoint("10.244.1.3", 80, false, false, false, Node));
        var https = http with { Name = http.Name with { Port = "https" }, Port = 443 };
        var health = ServiceHealth.From([http, https, Port("ns1", "plain", "10.96.0.42", Ready("10.244.1.9"))], Node);
        health.Should().ContainSingle().Which.Should().Be(new KeyValuePair<int, ServiceHealth>(32001, new ServiceHealth("ns1", "web", 2)));
    }

    [Theory]
    [InlineData(2, true, 200)]
    [InlineData(0, true, 503)]
    [InlineData(2, false, 503)]
    public void Answers_200_only_with_local_endpoints_and_a_healthy_proxy(int local, bool proxyHealthy, int status)
    {
        var (code, body) = new ServiceHealth("ns1", "web", local).Answer(proxyHealthy);
        code.Should().Be(status);
        body.Should().Be($"{{\n\t\"service\": {{\n\t\t\"namespace\": \"ns1\",\n\t\t\"name\": \"web\"\n\t}},\n\t\"localEndpoints\": {local},\n\t\"serviceProxyHealthy\": {(proxyHealthy ? "true" : "false")}\n}}");
    }

    [Fact]
    public void The_model_takes_the_health_check_port_only_for_local_load_balancers()
    {
        var service = Service("ns1", "web", "10.96.0.41", ServicePort("http", 80));
        service.Spec.Type = "LoadBalancer";
        service.Spec.ExternalTrafficPolicy = "Local";
        service.Spec.HealthCheckNodePort = 32001;
        ServiceModel.Build([service], []).Single().HealthCheckNodePort.Should().Be(32001);
        service.Spec.ExternalTrafficPolicy = "Cluster";
        ServiceModel.Build([service], []).Single().HealthCheckNodePort.Should().Be(0);
    }

    [Fact]
    public async Task Serves_each_port_over_real_http_and_closes_the_ports_no_longer_used()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var health = new ProxyHealth(new FakeTimeProvider(), TimeSpan.FromMinutes(1));
        using var server = new ServiceHealthServer(health, NullLogger<ServiceHealthServer>.Instance);
        using var http = new HttpClient();

        server.Update(new Dictionary<int, ServiceHealth> { [port] = new("ns1", "web", 2) });
        using (var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz")))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Headers.GetValues("X-Load-Balancing-Endpoint-Weight").Should().Equal("2");
            (await response.Content.ReadAsStringAsync()).Should().Contain("\"localEndpoints\": 2");
        }

        server.Update(new Dictionary<int, ServiceHealth> { [port] = new("ns1", "web", 0) });
        using (var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/")))
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "no local endpoint left");
        }

        server.Update([]);
        server.Ports.Should().BeEmpty();
        var closed = async () => await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        await closed.Should().ThrowAsync<HttpRequestException>("the port is closed once its service is gone");
    }
}
