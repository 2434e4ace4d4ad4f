using System.Net;
using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>
/// DELETE with propagation policies (the garbage collector's finalizers) and the namespace lifecycle (Terminating,
/// spec.finalizers, /finalize), over HTTPS against the in-memory backend.
/// </summary>
public sealed class DeletionApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private HttpClient Client => server.Client;

    private async Task CreateConfigMapAsync(string ns, string name, string finalizers = "[]")
    {
        var body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","finalizers":{{{finalizers}}}}}""";
        (await Client.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Body(body))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private async Task<HttpResponseMessage> DeleteAsync(string path, string? options)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (options is not null)
        {
            request.Content = Body(options);
        }
        return await Client.SendAsync(request);
    }

    [Theory]
    [InlineData("""{"propagationPolicy":"Orphan"}""", "orphan")]
    [InlineData("""{"propagationPolicy":"Foreground"}""", "foregroundDeletion")]
    [InlineData("""{"orphanDependents":true}""", "orphan")]
    public async Task Orphan_and_foreground_deletion_leave_the_object_with_the_policy_finalizer(string options, string finalizer)
    {
        var name = "gc-" + Guid.NewGuid().ToString("N")[..8];
        await CreateConfigMapAsync("default", name);

        var response = await DeleteAsync($"/api/v1/namespaces/default/configmaps/{name}", options);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await (await Client.GetAsync($"/api/v1/namespaces/default/configmaps/{name}")).ReadObjectAsync();
        stored["metadata"]!["deletionTimestamp"].Should().NotBeNull();
        stored["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f).Should().Equal(finalizer);
    }

    [Theory]
    [InlineData("""{"propagationPolicy":"Background"}""")]
    [InlineData(null)]
    public async Task Background_deletion_removes_the_object_at_once(string? options)
    {
        var name = "bg-" + Guid.NewGuid().ToString("N")[..8];
        await CreateConfigMapAsync("default", name);

        (await DeleteAsync($"/api/v1/namespaces/default/configmaps/{name}", options)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Client.GetAsync($"/api/v1/namespaces/default/configmaps/{name}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Background_deletion_drops_an_orphan_finalizer_and_removes_the_object()
    {
        var name = "switch-" + Guid.NewGuid().ToString("N")[..8];
        await CreateConfigMapAsync("default", name, """["orphan"]""");

        (await DeleteAsync($"/api/v1/namespaces/default/configmaps/{name}", """{"propagationPolicy":"Background"}""")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Client.GetAsync($"/api/v1/namespaces/default/configmaps/{name}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Removing_the_last_gc_finalizer_completes_the_deletion()
    {
        var name = "fin-" + Guid.NewGuid().ToString("N")[..8];
        await CreateConfigMapAsync("default", name);
        await DeleteAsync($"/api/v1/namespaces/default/configmaps/{name}", """{"propagationPolicy":"Foreground"}""");

        var patch = new StringContent("""{"metadata":{"finalizers":null}}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        (await Client.PatchAsync($"/api/v1/namespaces/default/configmaps/{name}", patch)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Client.GetAsync($"/api/v1/namespaces/default/configmaps/{name}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Orphan_dependents_and_propagation_policy_together_are_invalid()
    {
        var response = await DeleteAsync("/api/v1/namespaces/default/configmaps/any", """{"orphanDependents":true,"propagationPolicy":"Orphan"}""");

        ((int)response.StatusCode).Should().Be(422);
    }

    [Fact]
    public async Task A_deleted_namespace_is_terminating_until_finalized_then_gone()
    {
        var ns = "life-" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await Client.PostAsync("/api/v1/namespaces", Body($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}"""))).ReadObjectAsync();
        created["spec"]!["finalizers"]!.AsArray().Select(f => (string?)f).Should().Equal("kubernetes");
        await CreateConfigMapAsync(ns, "content");

        (await DeleteAsync($"/api/v1/namespaces/{ns}", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var terminating = await (await Client.GetAsync($"/api/v1/namespaces/{ns}")).ReadObjectAsync();
        ((string?)terminating["status"]!["phase"]).Should().Be("Terminating");
        terminating["metadata"]!["deletionTimestamp"].Should().NotBeNull();
        (await Client.GetAsync($"/api/v1/namespaces/{ns}/configmaps/content")).StatusCode.Should().Be(HttpStatusCode.OK, "emptying is the namespace controller's job");
        var refused = await Client.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"late"}}"""));
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await DeleteAsync($"/api/v1/namespaces/{ns}", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        terminating["spec"]!["finalizers"] = new JsonArray();
        var finalize = await Client.PutAsync($"/api/v1/namespaces/{ns}/finalize", Body(terminating.ToJsonString()));

        finalize.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.GetAsync($"/api/v1/namespaces/{ns}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Spec_finalizers_change_only_through_finalize()
    {
        var ns = "fz-" + Guid.NewGuid().ToString("N")[..8];
        await Client.PostAsync("/api/v1/namespaces", Body($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}"""));
        var body = $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}","labels":{"x":"y"}},"spec":{"finalizers":["kubernetes","example.com/fake"]}}""";

        var updated = await (await Client.PutAsync($"/api/v1/namespaces/{ns}", Body(body))).ReadObjectAsync();
        updated["spec"]!["finalizers"]!.AsArray().Select(f => (string?)f).Should().Equal("kubernetes");
        var finalized = await (await Client.PutAsync($"/api/v1/namespaces/{ns}/finalize", Body(body))).ReadObjectAsync();

        finalized["spec"]!["finalizers"]!.AsArray().Select(f => (string?)f).Should().Equal("kubernetes", "example.com/fake");
        ((string?)finalized["metadata"]!["labels"]!["x"]).Should().Be("y", "the earlier update kept its labels");
    }
}
