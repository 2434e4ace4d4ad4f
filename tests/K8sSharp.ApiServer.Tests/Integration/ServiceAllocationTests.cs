using System.Net;
using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Registry.Allocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>Cluster IPs and node ports: allocated, unique, kept on update, released on delete, repaired.</summary>
public sealed class ServiceAllocationTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Services = "/api/v1/namespaces/default/services";

    private HttpClient Client => server.Client;

    private static string Service(string name, string type = "ClusterIP", string extraSpec = "") =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"type\":\"" + type +
        "\",\"selector\":{\"app\":\"" + name + "\"},\"ports\":[{\"port\":80}]" + extraSpec + "}}";

    private async Task<JsonObject> CreateAsync(string body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await Client.PostAsync(Services, Body(body));
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    private Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(path);

    [Fact]
    public async Task TheKubernetesServiceHasTheFirstAddressAndPointsAtTheApiServer()
    {
        var service = await (await GetAsync($"{Services}/kubernetes")).ReadObjectAsync();
        service["spec"]!["clusterIP"]!.GetValue<string>().Should().Be("10.96.0.1");
        var slice = await (await GetAsync("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")).ReadObjectAsync();
        slice["ports"]![0]!["port"]!.GetValue<int>().Should().Be(server.BaseAddress.Port);
        (await GetAsync("/apis/networking.k8s.io/v1/ipaddresses/10.96.0.1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ClusterIpsAreUniqueInRangeAndReleasedOnDelete()
    {
        var a = (string)(await CreateAsync(Service("alloc-a")))["spec"]!["clusterIP"]!;
        var b = (string)(await CreateAsync(Service("alloc-b")))["spec"]!["clusterIP"]!;
        a.Should().NotBe(b);
        ServiceCidr.Default.Contains(a, out _).Should().BeTrue();
        var address = await (await GetAsync($"/apis/networking.k8s.io/v1/ipaddresses/{a}")).ReadObjectAsync();
        address["spec"]!["parentRef"]!["name"]!.GetValue<string>().Should().Be("alloc-a");

        var taken = await CreateAsync(Service("alloc-c", extraSpec: ",\"clusterIP\":\"" + a + "\""), (HttpStatusCode)422);
        taken["message"]!.GetValue<string>().Should().Contain("provided IP is already allocated");

        (await Client.DeleteAsync($"{Services}/alloc-a")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await GetAsync($"/apis/networking.k8s.io/v1/ipaddresses/{a}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var reused = await CreateAsync(Service("alloc-d", extraSpec: ",\"clusterIP\":\"" + a + "\""));
        reused["spec"]!["clusterIP"]!.GetValue<string>().Should().Be(a);
    }

    [Theory]
    [InlineData("10.0.0.5", "provided IP is not in the valid range")]
    [InlineData("10.96.0.1", "provided IP is already allocated")]
    public async Task RequestedClusterIpsAreChecked(string ip, string message)
    {
        var status = await CreateAsync(Service("bad-ip-" + ip.Replace('.', '-'), extraSpec: ",\"clusterIP\":\"" + ip + "\""), (HttpStatusCode)422);
        status["message"]!.GetValue<string>().Should().Contain(message);
    }

    [Fact]
    public async Task NodePortsAreAllocatedKeptAcrossUpdatesAndFreedWhenTheTypeChanges()
    {
        var created = await CreateAsync(Service("np", "NodePort"));
        var port = (int)created["spec"]!["ports"]![0]!["nodePort"]!;
        port.Should().BeInRange(30000, 32767);
        var clash = await CreateAsync(Service("np-clash", "NodePort").Replace("{\"port\":80}", "{\"port\":80,\"nodePort\":" + port + "}"), (HttpStatusCode)422);
        clash["message"]!.GetValue<string>().Should().Contain("provided port is already allocated");

        var updated = await Client.PutAsync($"{Services}/np", Body(Service("np", "NodePort")));
        ((int)(await updated.ReadObjectAsync())["spec"]!["ports"]![0]!["nodePort"]!).Should().Be(port, "an update that omits the node port keeps it");

        var toClusterIp = JsonNode.Parse(Service("np"))!.AsObject();
        (await Client.PutAsync($"{Services}/np", Body(toClusterIp.ToJsonString()))).StatusCode.Should().Be(HttpStatusCode.OK);
        var reuse = await CreateAsync(Service("np-reuse", "NodePort").Replace("{\"port\":80}", "{\"port\":80,\"nodePort\":" + port + "}"));
        ((int)reuse["spec"]!["ports"]![0]!["nodePort"]!).Should().Be(port);
    }

    [Fact]
    public async Task LocalLoadBalancersGetAHealthCheckNodePortKeptOnUpdateAndFreedOnDelete()
    {
        var created = await CreateAsync(Service("hc", "LoadBalancer", ",\"externalTrafficPolicy\":\"Local\""));
        var health = (int)created["spec"]!["healthCheckNodePort"]!;
        health.Should().BeInRange(30000, 32767).And.NotBe((int)created["spec"]!["ports"]![0]!["nodePort"]!);
        var clash = await CreateAsync(Service("hc-clash", "NodePort").Replace("{\"port\":80}", "{\"port\":80,\"nodePort\":" + health + "}"), (HttpStatusCode)422);
        clash["message"]!.GetValue<string>().Should().Contain("provided port is already allocated");

        var updated = await Client.PutAsync($"{Services}/hc", Body(Service("hc", "LoadBalancer", ",\"externalTrafficPolicy\":\"Local\"")));
        ((int)(await updated.ReadObjectAsync())["spec"]!["healthCheckNodePort"]!).Should().Be(health, "an update that omits it keeps it");
        (await CreateAsync(Service("hc-cluster", "LoadBalancer")))["spec"]!["healthCheckNodePort"].Should().BeNull("only policy Local needs one");

        (await Client.DeleteAsync($"{Services}/hc")).StatusCode.Should().Be(HttpStatusCode.OK);
        var reuse = await CreateAsync(Service("hc-reuse", "NodePort").Replace("{\"port\":80}", "{\"port\":80,\"nodePort\":" + health + "}"));
        ((int)reuse["spec"]!["ports"]![0]!["nodePort"]!).Should().Be(health, "the deleted Service's health check port was freed");
    }

    [Fact]
    public async Task RepairFreesLeakedAddresses()
    {
        var leaked = new ServiceRef("default", "ghost").IPAddressFor("10.100.0.7");
        (await Client.PostAsync("/apis/networking.k8s.io/v1/ipaddresses", Body(leaked.ToJsonString()))).StatusCode.Should().Be(HttpStatusCode.Created);
        var repair = server.Services.GetServices<IHostedService>().OfType<AllocationRepair>().Single();
        await repair.RepairAsync(CancellationToken.None);
        (await GetAsync("/apis/networking.k8s.io/v1/ipaddresses/10.100.0.7")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync("/apis/networking.k8s.io/v1/ipaddresses/10.96.0.1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
