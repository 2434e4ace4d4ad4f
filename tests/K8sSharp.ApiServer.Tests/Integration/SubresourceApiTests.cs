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
}
