using System.Net;
using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>Scale, binding, status and the review resources, over HTTPS.</summary>
public sealed class SubresourceApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private HttpClient Client => server.Client;

    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"NAME"}},
                 "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}
        """;

    private async Task CreateDeploymentAsync(string name) =>
        (await Client.PostAsync("/apis/apps/v1/namespaces/default/deployments", Body(Deployment.Replace("NAME", name, StringComparison.Ordinal))))
            .StatusCode.Should().Be(HttpStatusCode.Created);

    [Fact]
    public async Task ScaleReadsAndWritesSpecReplicas()
    {
        await CreateDeploymentAsync("scaled");
        var scale = await (await Client.GetAsync("/apis/apps/v1/namespaces/default/deployments/scaled/scale")).ReadObjectAsync();
        scale["kind"]!.GetValue<string>().Should().Be("Scale");
        scale["status"]!["selector"]!.GetValue<string>().Should().Be("app=scaled");
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/scaled/scale")
        {
            Content = Body("""{"spec":{"replicas":4}}""", "application/merge-patch+json"),
        };
        (await Client.SendAsync(patch)).StatusCode.Should().Be(HttpStatusCode.OK);
        var deployment = await (await Client.GetAsync("/apis/apps/v1/namespaces/default/deployments/scaled")).ReadObjectAsync();
        deployment["spec"]!["replicas"]!.GetValue<long>().Should().Be(4);
        deployment["metadata"]!["generation"]!.GetValue<long>().Should().Be(2);

        var stale = scale.DeepClone().AsObject();
        stale["spec"]!["replicas"] = 7;
        (await Client.PutAsync("/apis/apps/v1/namespaces/default/deployments/scaled/scale", Body(stale.ToJsonString())))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "the Scale carried the resourceVersion read before the patch");
    }

    [Fact]
    public async Task StatusWritesKeepSpecAndMainWritesKeepStatus()
    {
        await CreateDeploymentAsync("statused");
        var deployment = JsonNode.Parse(Deployment.Replace("NAME", "statused", StringComparison.Ordinal))!.AsObject();
        deployment["spec"]!["replicas"] = 9;
        deployment["status"] = new JsonObject { ["replicas"] = 3 };
        var withStatus = deployment.ToJsonString();
        (await Client.PutAsync("/apis/apps/v1/namespaces/default/deployments/statused/status", Body(withStatus))).StatusCode.Should().Be(HttpStatusCode.OK);
        var afterStatus = await (await Client.GetAsync("/apis/apps/v1/namespaces/default/deployments/statused")).ReadObjectAsync();
        afterStatus["status"]!["replicas"]!.GetValue<long>().Should().Be(3);
        afterStatus["spec"]!["replicas"]!.GetValue<long>().Should().Be(1, "a status write cannot change spec");

        var mainWrite = withStatus.Replace("\"status\":{\"replicas\":3}", "\"status\":{\"replicas\":8}", StringComparison.Ordinal);
        (await Client.PutAsync("/apis/apps/v1/namespaces/default/deployments/statused", Body(mainWrite))).StatusCode.Should().Be(HttpStatusCode.OK);
        var afterMain = await (await Client.GetAsync("/apis/apps/v1/namespaces/default/deployments/statused")).ReadObjectAsync();
        afterMain["status"]!["replicas"]!.GetValue<long>().Should().Be(3, "a main-resource write cannot change status");
        afterMain["spec"]!["replicas"]!.GetValue<long>().Should().Be(9);
    }

    [Fact]
    public async Task BindingSetsTheNodeOnceAndThenConflicts()
    {
        var pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bound"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""";
        (await Client.PostAsync("/api/v1/namespaces/default/pods", Body(pod))).StatusCode.Should().Be(HttpStatusCode.Created);
        var binding = """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"bound"},"target":{"kind":"Node","name":"node-a"}}""";
        (await Client.PostAsync("/api/v1/namespaces/default/pods/bound/binding", Body(binding))).StatusCode.Should().Be(HttpStatusCode.Created);
        var bound = await (await Client.GetAsync("/api/v1/namespaces/default/pods/bound")).ReadObjectAsync();
        bound["spec"]!["nodeName"]!.GetValue<string>().Should().Be("node-a");
        bound["status"]!["conditions"]![0]!["type"]!.GetValue<string>().Should().Be("PodScheduled");
        (await Client.PostAsync("/api/v1/namespaces/default/bindings", Body(binding.Replace("node-a", "node-b", StringComparison.Ordinal))))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"create","resource":"pods"}}}""", "allowed", "true")]
    [InlineData("/apis/authentication.k8s.io/v1/selfsubjectreviews",
        """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", "userInfo", "kubernetes-admin")]
    public async Task ReviewsAnswerWithoutBeingStored(string path, string body, string field, string expected)
    {
        var response = await Client.PostAsync(path, Body(body));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var status = (await response.ReadObjectAsync())["status"]![field]!;
        (status is JsonObject user ? user["username"]!.GetValue<string>() : status.ToJsonString()).Should().Be(expected);
        (await Client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    private async Task CreatePodAsync(string name, string phase)
    {
        var pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
        (await Client.PostAsync("/api/v1/namespaces/default/pods", Body(pod))).StatusCode.Should().Be(HttpStatusCode.Created);
        var status = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"status\":{\"phase\":\"" + phase + "\"}}";
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/namespaces/default/pods/{name}/status") { Content = Body(status, "application/merge-patch+json") };
        (await Client.SendAsync(patch)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> EvictAsync(string name) =>
        Client.PostAsync($"/api/v1/namespaces/default/pods/{name}/eviction",
            Body("{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + name + "\"}}"));

    [Fact]
    public async Task EvictionHonoursPodDisruptionBudgets()
    {
        await CreatePodAsync("evict-me", "Running");
        var budget = """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb-evict"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"evict-me"}}}}""";
        (await Client.PostAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets", Body(budget))).StatusCode.Should().Be(HttpStatusCode.Created);

        var refused = await EvictAsync("evict-me");
        refused.StatusCode.Should().Be((HttpStatusCode)429, "the disruption controller has not processed the budget");
        refused.Headers.RetryAfter.Should().NotBeNull();

        var status = """{"status":{"observedGeneration":1,"disruptionsAllowed":1,"currentHealthy":1,"desiredHealthy":0,"expectedPods":1}}""";
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb-evict/status") { Content = Body(status, "application/merge-patch+json") };
        (await Client.SendAsync(patch)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await EvictAsync("evict-me")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Client.GetAsync("/api/v1/namespaces/default/pods/evict-me")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var used = await (await Client.GetAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb-evict")).ReadObjectAsync();
        used["status"]!["disruptionsAllowed"]!.GetValue<int>().Should().Be(0);
        used["status"]!["disruptedPods"]!.AsObject().ContainsKey("evict-me").Should().BeTrue();
    }

    [Fact]
    public async Task PendingPodsAreEvictedWithoutABudgetCheck()
    {
        await CreatePodAsync("evict-pending", "Pending");
        (await EvictAsync("evict-pending")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Client.GetAsync("/api/v1/namespaces/default/pods/evict-pending")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EphemeralContainersAreAddedThroughTheirSubresourceOnly()
    {
        await CreatePodAsync("debugged", "Running");
        var pod = await (await Client.GetAsync("/api/v1/namespaces/default/pods/debugged")).ReadObjectAsync();
        pod["spec"]!["ephemeralContainers"] = new JsonArray(new JsonObject { ["name"] = "debugger", ["image"] = "busybox" });
        pod["spec"]!["containers"]![0]!["image"] = "busybox:changed";
        var put = await Client.PutAsync("/api/v1/namespaces/default/pods/debugged/ephemeralcontainers", Body(pod.ToJsonString()));
        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var after = await (await Client.GetAsync("/api/v1/namespaces/default/pods/debugged")).ReadObjectAsync();
        after["spec"]!["ephemeralContainers"]![0]!["name"]!.GetValue<string>().Should().Be("debugger");
        after["spec"]!["containers"]![0]!["image"]!.GetValue<string>().Should().Be("busybox", "only ephemeral containers change through this subresource");

        after["spec"]!["ephemeralContainers"] = new JsonArray();
        (await Client.PutAsync("/api/v1/namespaces/default/pods/debugged/ephemeralcontainers", Body(after.ToJsonString())))
            .StatusCode.Should().Be((HttpStatusCode)422, "ephemeral containers cannot be removed");
    }
}
