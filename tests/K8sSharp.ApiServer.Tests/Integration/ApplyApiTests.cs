using System.Net;
using System.Text.Json.Nodes;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>Server-side apply and managedFields over HTTPS, against the in-memory backend.</summary>
public sealed class ApplyApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string ApplyType = "application/apply-patch+yaml";

    private HttpClient Client => server.Client;

    private static string Deployment(string name, int replicas = 1, string image = "nginx:1.27") =>
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","labels":{"app":"NAME"}},
         "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"NAME"}},
           "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"nginx","image":"IMAGE"}]}}}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("IMAGE", image, StringComparison.Ordinal);

    private static string Path(string name) => "/apis/apps/v1/namespaces/default/deployments/" + name;

    private Task<HttpResponseMessage> ApplyAsync(string name, string body, string query = "fieldManager=kubectl&force=false") =>
        Client.PatchAsync($"{Path(name)}?{query}", Body(body, ApplyType));

    private static IEnumerable<string> Managers(JsonObject obj) =>
        obj["metadata"]!["managedFields"]!.AsArray().Select(e => $"{e!["manager"]}/{e["operation"]}");

    [Fact]
    public async Task ApplyCreatesThenUpdates()
    {
        var created = await ApplyAsync("ssa-create", Deployment("ssa-create"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var obj = await created.ReadObjectAsync();
        Managers(obj).Should().Equal("kubectl/Apply");
        obj["metadata"]!["uid"].Should().NotBeNull();

        var again = await ApplyAsync("ssa-create", Deployment("ssa-create"));
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        var reapplied = await again.ReadObjectAsync();
        reapplied["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be(obj["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApplyFromYamlWorksToo()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-yaml\ndata:\n  a: \"1\"\n";
        var response = await Client.PatchAsync("/api/v1/namespaces/default/configmaps/ssa-yaml?fieldManager=me", Body(yaml, ApplyType));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.ReadObjectAsync())["data"]!["a"]!.GetValue<string>().Should().Be("1");
    }

    [Fact]
    public async Task ApplyWithoutFieldManagerIsInvalid()
    {
        var response = await ApplyAsync("ssa-nomanager", Deployment("ssa-nomanager"), query: "force=false");
        response.StatusCode.Should().Be((HttpStatusCode)422);
        var status = await response.ReadObjectAsync();
        status["message"]!.GetValue<string>().Should().Be("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    }

    [Fact]
    public async Task ScaleThenApplyConflictsUntilForced()
    {
        (await ApplyAsync("ssa-conflict", Deployment("ssa-conflict"))).StatusCode.Should().Be(HttpStatusCode.Created);
        var scale = await Client.PatchAsync(Path("ssa-conflict"), Body("""{"spec":{"replicas":3}}""", "application/merge-patch+json"));
        scale.StatusCode.Should().Be(HttpStatusCode.OK);
        Managers(await scale.ReadObjectAsync()).Should().Contain("unknown/Update");

        var conflict = await ApplyAsync("ssa-conflict", Deployment("ssa-conflict"));
        conflict.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var status = await conflict.ReadObjectAsync();
        status["reason"]!.GetValue<string>().Should().Be("Conflict");
        status["message"]!.GetValue<string>().Should().Be("Apply failed with 1 conflict: conflict with \"unknown\" using apps/v1: .spec.replicas");
        var cause = status["details"]!["causes"]![0]!;
        cause["reason"]!.GetValue<string>().Should().Be("FieldManagerConflict");
        cause["message"]!.GetValue<string>().Should().Be("conflict with \"unknown\" using apps/v1");
        cause["field"]!.GetValue<string>().Should().Be(".spec.replicas");

        var forced = await ApplyAsync("ssa-conflict", Deployment("ssa-conflict"), "fieldManager=kubectl&force=true");
        forced.StatusCode.Should().Be(HttpStatusCode.OK);
        (await forced.ReadObjectAsync())["spec"]!["replicas"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task DroppedFieldsAreRemoved()
    {
        await ApplyAsync("ssa-drop", Deployment("ssa-drop", replicas: 4));
        var without = JsonNode.Parse(Deployment("ssa-drop"))!.AsObject();
        without["spec"]!.AsObject().Remove("replicas");
        var response = await ApplyAsync("ssa-drop", without.ToJsonString());
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        // The applier's 4 is removed; defaulting then sets the field again, as upstream does.
        (await response.ReadObjectAsync())["spec"]!["replicas"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task DryRunApplyPersistsNothing()
    {
        var response = await ApplyAsync("ssa-dry", Deployment("ssa-dry"), "fieldManager=kubectl&dryRun=All");
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await Client.GetAsync(Path("ssa-dry"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PlainCreateRecordsAnUpdateEntry()
    {
        var response = await Client.PostAsync("/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create",
            Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mf-create"},"data":{"k":"v"}}"""));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var entry = (await response.ReadObjectAsync())["metadata"]!["managedFields"]![0]!;
        entry["manager"]!.GetValue<string>().Should().Be("kubectl-create");
        entry["operation"]!.GetValue<string>().Should().Be("Update");
        entry["fieldsV1"]!.ToJsonString().Should().Be("""{"f:data":{".":{},"f:k":{}}}""");
    }

    [Fact]
    public async Task JsonPatchCanReplaceManagedFields()
    {
        await Client.PostAsync("/api/v1/namespaces/default/configmaps?fieldManager=creator",
            Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mf-patch"},"data":{"k":"v"}}"""));
        const string patch = """[{"op":"replace","path":"/metadata/managedFields","value":[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{}}}}]}]""";
        var response = await Client.PatchAsync("/api/v1/namespaces/default/configmaps/mf-patch?fieldManager=kubectl", Body(patch, "application/json-patch+json"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var entries = (await response.ReadObjectAsync())["metadata"]!["managedFields"]!.AsArray();
        entries.Select(e => e!["manager"]!.GetValue<string>()).Should().Equal("kubectl");
    }
}
